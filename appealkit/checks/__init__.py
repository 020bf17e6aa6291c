"""Letters and the workspace checked against the source of truth: check and audit."""
