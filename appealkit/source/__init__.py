"""The source of truth: YAML files loaded and validated into plain records."""
