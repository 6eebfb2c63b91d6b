"""`python -m pipeline` runs the taxonomist CLI."""

from pipeline.cli import main

main()
