"""`python -m hexcheck`."""

from hexcheck.adapters.cli import main

main()
