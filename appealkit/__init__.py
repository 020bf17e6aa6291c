"""appealkit: appeal letters in DOCX and PDF from one source of truth kept in YAML."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("appealkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
