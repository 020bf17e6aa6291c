"""`appealkit doctor`: what this machine has of what appealkit needs, and how to install the rest."""
