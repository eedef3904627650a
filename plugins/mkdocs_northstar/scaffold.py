"""`northstar init`: a new plan site that builds strictly on the day it is created."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from mkdocs_northstar.schema import write_schemas

_RENAMES = {"github": ".github", "gitlab": ".gitlab", "gitignore": ".gitignore", "gitlab-ci.yml": ".gitlab-ci.yml"}
CI_HOSTS = ("github", "gitlab", "none")
"""What `--ci` chooses: the code host whose pipeline, check-in form and code owners are written."""
_SHARED = {"github/check-in.sh": ("github", "gitlab")}
"""Files written for more than one host (into each host's folder)."""


@dataclass(frozen=True)
class Quarter:
    id: str
    name: str
    start: date
    end: date


def quarters_of(year: int) -> list[Quarter]:
    ends = [date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)]
    starts = [date(year, 1, 1), date(year, 4, 1), date(year, 7, 1), date(year, 10, 1)]
    return [Quarter(f"{year}-q{n}", f"Q{n} {year}", s, e) for n, (s, e) in enumerate(zip(starts, ends, strict=True), 1)]


def _targets(rel: Path, ci: str) -> list[tuple[str, ...]]:
    """Where a scaffold file goes for the host `ci`: none, one or (a shared file) several paths."""
    hosts = _SHARED.get(rel.as_posix(), (rel.parts[0],) if rel.parts[0] in CI_HOSTS else None)
    if hosts is None:
        return [rel.parts]
    if ci not in hosts:
        return []
    parts = (ci, *rel.parts[1:])
    return [parts[1:] if parts[-1] == "gitlab-ci.yml" else parts]


def scaffold(dest: Path, *, company: str, today: date, ci: str = "github") -> list[tuple[Path, bool]]:
    """Write the starter site into `dest`; return each file written, in order, with whether it
    replaced a file that was there. Nothing else in `dest` is touched.

    `ci` chooses the code host (`CI_HOSTS`) whose pipeline, check-in form and code owners are written.

    The plan is dated from `today` (calendar-year quarters), so it checks clean straight away. In a
    year's last quarter the next year is written too (its quarters, goals to fill in), so that next
    quarter's files can be written before it starts.
    """
    quarters = quarters_of(today.year)
    quarter = next(q for q in quarters if q.start <= today <= q.end)
    following = quarters_of(today.year + 1) if quarter is quarters[-1] else []
    context = {
        "company": company,
        "today": today,
        "year": today.year,
        "quarters": quarters,
        "quarter": quarter,
        "next_quarters": following,
    }
    env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True)  # noqa: S701 - YAML and Markdown, not HTML
    written: list[tuple[Path, bool]] = []
    with as_file(files("mkdocs_northstar") / "scaffold") as source:
        for template in sorted(p for p in source.rglob("*") if p.is_file()):
            rel = template.relative_to(source)
            for found in _targets(rel, ci):
                parts = [_RENAMES.get(part.removesuffix(".jinja"), part) for part in found]
                target = dest.joinpath(*parts)
                if rel.parts[:2] == ("plan", "execution"):
                    target = dest / "plan" / "execution" / quarter.id / rel.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target = target.with_name(target.name.removesuffix(".jinja"))
                existed = target.exists()
                if template.suffix == ".jinja":
                    text = env.from_string(template.read_text(encoding="utf-8")).render(context)
                    target.write_text(text, encoding="utf-8")
                else:
                    shutil.copyfile(template, target)
                written.append((target, existed))
    schemas = dest / "plan" / "schema"
    before = {p for p in schemas.iterdir() if p.is_file()} if schemas.is_dir() else set()
    written += [(path, path in before) for path in write_schemas(schemas)]
    return written
