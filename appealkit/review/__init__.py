"""Two revisions compared: the diff, its formats and tracked-changes DOCX."""
