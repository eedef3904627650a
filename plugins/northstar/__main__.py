"""`python -m northstar`: the same as the `northstar` command."""

from __future__ import annotations

import sys

from northstar.cli import main

sys.exit(main())
