"""`python -m locpress`: the same as the `locpress` command."""

import sys

from locpress.cli import main

if __name__ == "__main__":  # importing the module (as tools that walk the package do) runs nothing
    sys.exit(main())
