"""`python -m desist` runs the command line."""

from desist.cli import main

main()
