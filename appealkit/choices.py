"""The fixed choices that command-line options, the settings file and the core share.

They import nothing, so `appealkit --help` lists them without loading the core, and the
settings loader (in source/, below batch/ and send/) checks `appealkit.yaml` against the
same tables the commands use.
"""

#: The files a letter is built as.
LETTER_FORMATS = ("docx", "pdf")
#: How the connection to the SMTP relay is protected (`--smtp-security`, `smtp_security`).
SMTP_SECURITY = ("starttls", "ssl", "none")
