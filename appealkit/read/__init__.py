"""Letters from anywhere read within bounds: DOCX parts, PDF paragraphs, text; letterheads cleaned."""
