"""The translator's commands: marking translations current, their state, XLIFF and PO."""
