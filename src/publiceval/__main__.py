"""``python -m publiceval`` runs the command-line interface."""

from ._core.cli import main

main()
