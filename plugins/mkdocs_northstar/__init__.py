"""Northstar: publish a company's plan, strategy apart from execution, as a versioned MkDocs site.

The public API is what the CLI and the MkDocs adapter use: load and check a plan folder, and
read the typed model it produces.
"""

from __future__ import annotations

from mkdocs_northstar.check import Report, check_plan
from mkdocs_northstar.load import Loaded, load_plan
from mkdocs_northstar.model import Plan
from mkdocs_northstar.problems import CODES, Problem

__version__ = "0.1.0"

__all__ = ["CODES", "Loaded", "Plan", "Problem", "Report", "__version__", "check_plan", "load_plan"]
