"""``python -m harness_cli``: the same as the ``harness`` console script."""
import sys

from harness_cli.main import main

sys.exit(main())
