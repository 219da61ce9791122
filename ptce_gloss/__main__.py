"""Run the command line: ``python -m ptce_gloss``."""

from .cli import main

main()
