"""The Jinja environment: package templates, overridable from the theme's custom_dir."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from northstar.pages.text import PlanText

_BACKTICKS = re.compile(r"`([^`]+)`")

OVERRIDE_DIR = "northstar"
"""Users override `team.md.jinja` with `<custom_dir>/northstar/team.md.jinja`."""


class Renderer:
    """Renders templates by name. Plan text goes in as data, never as template source."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        text = PlanText()
        loaders = [FileSystemLoader(str(d / OVERRIDE_DIR)) for d in overrides if (d / OVERRIDE_DIR).is_dir()]
        self.env = Environment(
            loader=ChoiceLoader([*loaders, PackageLoader("northstar", "templates")]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        self.env.filters["md"] = text.block
        self.env.filters["md_inline"] = text.inline
        self.env.filters["code"] = backticks

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)


def backticks(text: str) -> Markup:
    """Plain text with `code` spans (as in change descriptions), escaped."""
    return Markup(_BACKTICKS.sub(r"<code>\1</code>", str(escape(text))))  # noqa: S704 - escaped first
