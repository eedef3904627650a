"""Helpers for the hostile-input tests: a project around a plan, exact problem lines, attack text
in every field of a valid plan, and what counts as live markup in a built site."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

from tests.site_helpers import git

NORTHSTAR = Path(sys.executable).parent / "northstar"
SITE_CONFIG = """\
site_name: Hostile
theme:
  name: material
plugins:
  - search
  - northstar
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
"""
"""The example site's Markdown extensions, attr_list included: plan text must stay safe with them on."""

PROBLEM_LINE = re.compile(
    r"^(ERROR|WARNING|INFO) +-  northstar: (plan/\S+:\d+:\d+: (error|warning|notice) NS\d{3} .*)$"
)
LOG_LEVEL = {"error": "ERROR", "warning": "WARNING", "notice": "INFO"}
"""The level MkDocs logs each severity at: a notice (dated) is information, so --strict never fails on it."""


# --- helpers -------------------------------------------------------------------------------------


def make_project(outer: Path) -> Path:
    """An empty site project three folders below `outer`, with `docs/index.md` and the config."""
    project = outer / "a" / "b" / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (project / ".gitignore").write_text("site/\n", encoding="utf-8")
    return project


def commit_all(project: Path, message: str = "plan", author: str = "Test") -> None:
    git("init", "-q", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)
    git("-c", f"user.name={author}", "commit", "-q", "-m", message, cwd=project)


def snapshot(outer: Path, site: Path) -> dict[str, tuple[object, ...]]:
    """Every path under `outer` except `site` (and git's index, which `git status` may refresh):
    file content hash, mode and modification time; symlink target; folder mode."""
    found: dict[str, tuple[object, ...]] = {}
    for path in sorted(outer.rglob("*")):
        if path == site or site in path.parents or (path.name == "index" and path.parent.name == ".git"):
            continue
        rel = path.relative_to(outer).as_posix()
        stat = path.lstat()
        if path.is_symlink():
            found[rel] = ("link", str(path.readlink()))
        elif path.is_dir():
            found[rel] = ("dir", stat.st_mode)
        else:
            found[rel] = ("file", stat.st_mode, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def problem_lines(log: str) -> list[str]:
    """The plan problems MkDocs logged, without the log prefix; each at its severity's level."""
    found = [m for line in log.splitlines() if (m := PROBLEM_LINE.match(line))]
    assert all(LOG_LEVEL[m.group(3)] == m.group(1) for m in found), [m.group(0) for m in found]
    return [m.group(2) for m in found]


def assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output, output
    assert not re.search(r'^\s*File "', output, flags=re.M), output  # no stack frames (nor local paths) either


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NORTHSTAR), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


# --- attack text in every text field of a valid plan ---------------------------------------------

VECTORS: dict[str, Callable[[int], str]] = {
    "html": lambda n: (
        f"F{n:02d} <script>alert({n})</script> <img src=x onerror=alert({n})> "
        f'<a href="javascript:alert({n})">a{n}</a> </div></table><svg onload=alert({n})> &amp; &lt;b&gt;'
    ),
    "markdown": lambda n: (
        f"F{n:02d} [a{n}](javascript:alert({n})) [b{n}](JaVaScRiPt:alert({n})) ![c{n}](javascript:alert({n})) "
        f"[d{n}](data:text/html,alert({n})) [e{n}](vbscript:alert({n})) <javascript:alert({n})> "
        f"[ok{n}](https://example.com/{n})"
    ),
    "attr_list": lambda n: f"F{n:02d} {{: onclick=alert({n}) onmouseover=alert({n}) }}",
    "jinja": lambda n: (
        f"F{n:02d} {{{{ 7 * 7 }}}} {{{{ config.site_name }}}} {{% include 'mkdocs.yml' %}} {{{{ self }}}} "
        f"{{% for x in range(3) %}}X{{% endfor %}} {{# hidden #}}"
    ),
}
"""What a plan author could try, one kind per build so that one cannot mask another."""

KNOWN_UNSAFE: dict[str, set[str]] = {"html": set(), "markdown": set(), "attr_list": set(), "jinja": set()}
"""Fields allowed to come out live, per attack: none (tests/test_hostile_regressions.py has the history)."""


def hostile_plan(text: Callable[[int], str]) -> tuple[dict[str, str], list[str]]:
    """A valid plan whose every text field holds `text(n)`; returns its files and the field names (n - 1)."""
    fields: list[str] = []

    def t(field: str) -> str:
        fields.append(field)
        return text(len(fields))

    strategy = {
        "owner": "ceo",
        "reviewed": date(2026, 6, 1),
        "purpose": t("strategy.purpose"),
        "values": [{"id": "v1", "title": t("values.title"), "description": t("values.description")}],
        "north_star": {"statement": t("north_star.statement"), "by": 2035},
        "targets": [{"id": "t1", "title": t("targets.title"), "by": 2030, "description": t("targets.description")}],
        "where_to_play": [
            {"id": "manitoba-makers", "title": t("where_to_play.title"), "description": t("where_to_play.description")}
        ],
        "how_to_win": [
            {"id": "same-day-quotes", "title": t("how_to_win.title"), "description": t("how_to_win.description")}
        ],
        "not_doing": [{"id": "no-consumer", "title": t("not_doing.title"), "why": t("not_doing.why")}],
        "talent": [{"id": "tal", "title": t("talent.title"), "why": t("talent.why")}],
        "strengths": [t("strengths")],
        "weaknesses": [t("weaknesses")],
        "trends": [t("trends")],
    }
    goal = {
        "id": "grow-makers",
        "title": t("goal.title"),
        "description": t("goal.description"),
        "measure": t("goal.measure"),
        "owner": "ceo",
        "supports": ["manitoba-makers"],
    }
    quarters = [
        {"id": "2026-q3", "name": t("quarter.past.name"), "start": date(2026, 7, 1), "end": date(2026, 9, 30)},
        {"id": "2026-q4", "name": t("quarter.name"), "start": date(2026, 10, 1), "end": date(2026, 12, 31)},
    ]
    year = {"id": "2026", "name": t("year.name"), "theme": t("year.theme"), "start": date(2026, 1, 1)}
    company = {
        "name": t("company.name"),
        "years": [{**year, "end": date(2026, 12, 31), "goals": [goal], "quarters": quarters}],
    }
    people = {
        "people": [
            {"id": "ceo", "name": t("person.name"), "title": t("person.title"), "email": t("person.email")},
            {"id": "ana", "name": "Ana Silva"},
            {"id": "ben", "name": "Ben Okafor"},
        ]
    }
    teams = {
        "teams": [
            {"id": "leadership", "name": t("team.name"), "lead": "ceo", "mission": t("team.mission")},
            {"id": "sales", "name": "Sales", "lead": "ana", "parent": "leadership", "members": ["ben"]},
        ]
    }
    key_result = {
        "id": "new-logos",
        "title": t("key_result.title"),
        "metric": t("key_result.metric"),
        "unit": t("key_result.unit"),
        "owner": "ceo",
        "baseline": 0,
        "target": 8,
        "check_ins": [{"date": date(2026, 11, 20), "value": 3, "note": t("check_in.note")}],
    }
    leadership = {
        "team": "leadership",
        "period": "2026-q4",
        "objectives": [
            {
                "id": "win-makers",
                "title": t("objective.title"),
                "description": t("objective.description"),
                "supports": ["grow-makers"],
                "key_results": [
                    key_result,
                    {"id": "quote-hours", "title": "Median quote time", "owner": "ben", "baseline": 30, "target": 1},
                ],
            }
        ],
        "rocks": [
            {
                "id": "hire-rep",
                "title": t("rock.title"),
                "description": t("rock.description"),
                "owner": "ceo",
                "due": date(2026, 12, 15),
                "supports": ["same-day-quotes"],
            }
        ],
        "kpis": [
            {
                "id": "on-time",
                "title": t("kpi.title"),
                "unit": t("kpi.unit"),
                "owner": "ceo",
                "target": 95,
                "check_ins": [{"date": date(2026, 11, 20), "value": 91, "note": t("kpi.check_in.note")}],
            }
        ],
    }
    settings = {
        "score_bands": [
            {"id": "low", "label": t("score_band.label"), "min": 0},
            {"id": "high", "label": "High", "min": 0.5},
        ],
        "pace": "end",  # status is plain progress, so the key results below 0.5 show the low band
    }

    def dump(value: object) -> str:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)

    files = {
        "strategy.yml": dump(strategy),
        "company.yml": dump(company),
        "people.yml": dump(people),
        "teams.yml": dump(teams),
        "execution/2026-q4/leadership.yml": dump(leadership),
        "northstar.yml": dump(settings),
    }
    return files, fields


NOT_ON_PAGES = {"quarter.past.name"}
"""Fields published only in plan.json (a past quarter's name shows in its archive, which needs history)."""

SAFE_SCHEMES = {"", "http", "https", "mailto"}
PRINT_BUTTON = ("button", "onclick", "window.print()")
"""The one event handler Northstar's own markup has (the one-page plan's Print button)."""


def unsafe_markup(site: Path) -> dict[int, set[str]]:
    """Field number -> what of its attack text became live markup, over every page of the site."""
    found: dict[int, set[str]] = {}

    def note(text: str, what: str) -> None:
        for n in re.findall(r"alert\((\d+)\)", text) or ["0"]:
            found.setdefault(int(n), set()).add(what)

    for html in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            if element.name == "script" and "alert(" in element.decode():
                note(element.decode(), f"<{element.name}> element")
            for attribute, raw in element.attrs.items():
                value = " ".join(raw) if isinstance(raw, list) else str(raw)
                if attribute.startswith("on") and (element.name, attribute, value) != PRINT_BUTTON:
                    note(value, f"{attribute} attribute")
                if attribute in ("href", "src", "action", "formaction", "xlink:href"):
                    cleaned = re.sub(r"[\x00-\x20]", "", value)
                    if urlsplit(cleaned).scheme.lower() not in SAFE_SCHEMES:
                        note(value, f"{attribute}={cleaned.split(':')[0]}:")
            if element.name == "img" and element.get("src") == "x":
                note(element.get("onerror", "alert(0)"), "<img src=x>")
    return found
