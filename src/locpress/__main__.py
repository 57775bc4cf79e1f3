"""`python -m locpress`: the same as the `locpress` command."""

import sys

from .cli import main

sys.exit(main())
