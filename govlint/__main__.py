"""`python -m govlint`."""

from govlint.cli import main

main()
