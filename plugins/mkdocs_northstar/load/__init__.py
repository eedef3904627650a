"""YAML files to the typed plan, with a positioned problem for every mistake."""

from __future__ import annotations

from mkdocs_northstar.load.plan import Loaded, load_plan
from mkdocs_northstar.load.yamlfile import Document, read_yaml

__all__ = ["Document", "Loaded", "load_plan", "read_yaml"]
