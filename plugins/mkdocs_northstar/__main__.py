"""`python -m mkdocs_northstar`: the same as the `northstar` command."""

from __future__ import annotations

import sys

from mkdocs_northstar.cli import main

sys.exit(main())
