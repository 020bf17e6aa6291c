"""The document model written out as DOCX and PDF."""
