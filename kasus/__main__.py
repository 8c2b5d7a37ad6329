"""`python -m kasus` runs the command line."""

from kasus.cli import main

main()
