"""HTML pages from Jinja templates shipped in the package: the bundle's index, the HTML diff, `serve`."""
