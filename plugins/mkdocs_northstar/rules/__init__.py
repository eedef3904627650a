"""Checks over a loaded plan: structure (NS2xx) and the strategy/execution lint (NS3xx)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from mkdocs_northstar.index import Index
from mkdocs_northstar.load import Loaded
from mkdocs_northstar.problems import CODES, Problem, did_you_mean, problem
from mkdocs_northstar.rules.context import Context, current_period
from mkdocs_northstar.rules.lint import check_lint, is_generic
from mkdocs_northstar.rules.structure import check_structure

__all__ = ["Context", "configure", "current_period", "is_generic", "run_rules"]

_IGNORE = re.compile(r"#\s*northstar:\s*ignore\b\s*\[?\s*([A-Z0-9 ,]*)")


def run_rules(loaded: Loaded, index: Index, as_of: date, period: str | None = None) -> list[Problem]:
    """All structural and lint problems, after severities from settings and inline suppressions.

    `index` is the plan's (see `build_index`), which the caller keeps for the pages and the export.
    """
    year, quarter = current_period(loaded.plan, as_of, period)
    ctx = Context(loaded, index, as_of, year, quarter)
    return [*_settings_problems(loaded), *check_structure(ctx), *check_lint(ctx)]


def configure(loaded: Loaded, found: list[Problem]) -> list[Problem]:
    """Apply `northstar.yml` severities and inline `# northstar: ignore CODE` comments."""
    return [p for p in (_configured(loaded, p) for p in found) if p is not None]


def _settings_problems(loaded: Loaded) -> list[Problem]:
    path = loaded.paths["northstar"]
    doc = loaded.docs.get(path)
    out = []
    for code in loaded.plan.settings.rules:
        pos = doc.position(("rules", code), key=True) if doc else (1, 1)
        if code not in CODES:
            configurable = [c.code for c in CODES.values() if c.configurable]
            out.append(problem("NS110", path, pos, f"unknown check code {code!r}{did_you_mean(code, configurable)}"))
        elif not CODES[code].configurable:
            msg = f"{code} cannot be configured: it always applies (the NS3xx lint rules, except NS302, can)"
            out.append(problem("NS112", path, pos, msg))
        elif CODES[code].dated and loaded.plan.settings.rules[code] in ("error", "warning"):
            msg = (
                f"{code} depends on the date, so it never fails a build (one late team must not stop "
                "the site): set it to notice or off"
            )
            out.append(problem("NS112", path, pos, msg))
    return out


def _configured(loaded: Loaded, found: Problem) -> Problem | None:
    """Apply `northstar.yml` severities and `# northstar: ignore CODE` comments to a lint problem."""
    code = CODES[found.code]
    if not code.configurable:
        return found
    setting = loaded.plan.settings.rules.get(found.code)
    if setting == "off":
        return None
    doc = loaded.docs.get(found.path)
    line = doc.line(found.line) if doc is not None else None
    if line is not None:
        match = _IGNORE.search(line)
        if match and found.code in re.split(r"[ ,]+", match.group(1)):
            return None
    if setting and code.dated and setting != "notice":
        return found  # refused in northstar.yml (NS112): the finding stays a notice
    return replace(found, severity=setting) if setting else found
