"""`appealkit import`: existing letters read back into a workspace draft."""
