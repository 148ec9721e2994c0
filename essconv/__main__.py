"""``python -m essconv``: the command line (see essconv.cli)."""
import sys

from .cli import main

sys.exit(main())
