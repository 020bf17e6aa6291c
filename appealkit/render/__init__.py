"""Templates rendered into letters: the sandbox, the letter context and the document model."""
