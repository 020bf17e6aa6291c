"""Language rules shared by writing and reading: one table per concept."""
