"""``python -m publiceval`` runs the command-line interface."""

from .cli import main

main()
