"""The hostile-input catalogue, through a real MkDocs build of a real git repository.

Every bad plan in tests/cases (each with its exact problems in expected.txt) and a few made at
run time (too big to keep in git, or needing a symlink) is built by MkDocs in this process, and
the most dangerous of them by the real `mkdocs` command too.
For each one: the build log holds exactly the expected problem lines, no traceback, nothing
outside site_dir changes (the project sits three folders deep in a snapshotted tree, so a path
like ../../x would land inside the snapshot), and nothing is executed.

A valid plan with attack text in every text field checks the other half: what is escaped, which
links are dropped, and that Jinja in plan text stays text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.conftest import CASES, build_case
from tests.hostile_helpers import (
    KNOWN_UNSAFE,
    NOT_ON_PAGES,
    VECTORS,
    assert_no_traceback,
    commit_all,
    hostile_plan,
    make_project,
    problem_lines,
    run_cli,
    snapshot,
    unsafe_markup,
)
from tests.site_helpers import mkdocs

# --- the catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A bad input made at run time: `make(plan)` damages a copy of the base plan."""

    name: str
    make: Callable[[Path], None]
    expected: tuple[str, ...]


def _ten_megabytes(plan: Path) -> None:
    (plan / "people.yml").write_bytes(b"people: []\n" + b"# " + b"x" * (10 * 1024 * 1024) + b"\n")


def _half_a_million_values(plan: Path) -> None:
    (plan / "people.yml").write_text("people: [" + ",".join(["0"] * 500_001) + "]\n", encoding="utf-8")


def _python_object_apply(plan: Path) -> None:
    (plan / "people.yml").write_text(
        "people:\n  - id: ceo\n    name: !!python/object/apply:os.system [touch EXECUTED]\n"
        "  - !!python/object/apply:subprocess.check_call [[touch, EXECUTED-TOO]]\n",
        encoding="utf-8",
    )


def _yaml_and_yml(plan: Path) -> None:
    (plan / "people.yaml").write_bytes((plan / "people.yml").read_bytes())


def _non_plan_file_named_like_a_page(plan: Path) -> None:
    (plan / "execution" / "2026-q4" / "notes.txt").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    (plan / "index.yml").write_text("people: []\n", encoding="utf-8")


RUNTIME = [
    Hostile(
        "NS100-ten-megabytes",
        _ten_megabytes,
        ("plan/people.yml:1:1: error NS100 file is 10.0 MB; plan files are limited to 5 MB",),
    ),
    Hostile(
        "NS105-half-a-million-values",
        _half_a_million_values,
        ("plan/people.yml:1:1000006: error NS105 more than 500,000 values; split the file",),
    ),
    Hostile(
        "NS106-python-object-apply",
        _python_object_apply,
        (
            "plan/people.yml:3:11: error NS106 tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
            "plan files hold plain data only",
            "plan/people.yml:4:5: error NS106 tag 'tag:yaml.org,2002:python/object/apply:subprocess.check_call' is "
            "not allowed; plan files hold plain data only",
        ),
    ),
    Hostile(
        "NS201-yaml-and-yml",
        _yaml_and_yml,
        ("plan/people.yml:1:1: error NS201 both people.yaml and people.yml exist; keep one",),
    ),
    Hostile(
        "NS114-stray-files",
        _non_plan_file_named_like_a_page,
        (
            "plan/index.yml:1:1: warning NS114 Northstar does not read this file; team work goes under "
            "execution/<period>/<team>.yml",
        ),
    ),
]

CASE_DIRS = sorted(d for d in CASES.iterdir() if d.is_dir() and not d.name.startswith("_"))


@dataclass(frozen=True)
class Entry:
    name: str
    make: Callable[[Path], Path]
    """Builds the plan into the project folder it is given; returns the plan folder."""
    expected: list[str]


def _from_case(case: Path) -> Entry:
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return Entry(case.name, lambda project: build_case(case, project), expected)


def _from_runtime(hostile: Hostile) -> Entry:
    def make(project: Path) -> Path:
        plan = build_case(CASES / "_base", project)
        hostile.make(plan)
        return plan

    return Entry(hostile.name, make, list(hostile.expected))


CATALOGUE = [_from_case(case) for case in CASE_DIRS] + [_from_runtime(h) for h in RUNTIME]
NAMES = [entry.name for entry in CATALOGUE]


def test_catalogue_holds_at_least_forty_distinct_bad_inputs() -> None:
    bad = [entry for entry in CATALOGUE if entry.expected]
    assert len({entry.name for entry in bad}) == len(bad) >= 40


THROUGH_THE_COMMAND = {h.name for h in RUNTIME} | {
    "NS106-python-tag",
    "NS202-path-traversal-refs",
    "NS105-alias-bomb",
    "NS311-stale-key-result",
}
"""Entries also built by the `mkdocs` command, for its exit code, log lines and output: the ones
made at run time and the most dangerous of the golden cases. Every entry is built in-process."""


@dataclass(frozen=True)
class Built:
    problems: list[str]
    """The plan problems logged, as `path:line:col: severity CODE message`."""
    refused: str | None
    """The message the build stopped with, or None when it finished."""


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_in_process(project: Path) -> Built:
    """A real MkDocs build of `project` through MkDocs' public API, in this process: the same
    plugin, theme and site as the command, without starting Python for every case."""
    handler = _Records()
    records = handler.records
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # as the mkdocs command does: notices are logged at this level
    try:
        try:
            build(load_config(str(project / "mkdocs.yml")))
        except Abort:  # MkDocs logs the plugin's error, then aborts: what the command prints, with no traceback
            refused = [
                r.getMessage() for r in records if r.name == "mkdocs.commands.build" and r.levelno >= logging.ERROR
            ]
            assert len(refused) == 1, refused
            return Built(_problems(records), refused[0])
        return Built(_problems(records), None)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _problems(records: list[logging.LogRecord]) -> list[str]:
    return problem_lines(
        "\n".join(
            f"{r.levelname} -  {r.getMessage()}"
            for r in records
            if r.name == "mkdocs.plugins.northstar" and r.levelno >= logging.INFO
        )
    )


def _prepared(entry: Entry, tmp_path: Path) -> tuple[Path, Path, dict[str, tuple[object, ...]]]:
    outer = tmp_path / "outer"
    project = make_project(outer)
    entry.make(project)
    commit_all(project)
    return outer, project, snapshot(outer, project / "site")


def _fails(entry: Entry) -> bool:
    return any(" error NS" in line for line in entry.expected)


@pytest.mark.parametrize("entry", CATALOGUE, ids=[entry.name for entry in CATALOGUE])
def test_real_build_reports_exactly_and_stays_inside_site_dir(entry: Entry, tmp_path: Path) -> None:
    outer, project, before = _prepared(entry, tmp_path)
    site = project / "site"

    built = build_in_process(project)

    assert built.problems == entry.expected
    if _fails(entry):
        assert built.refused is not None and built.refused.startswith("northstar: the plan has")
        assert not site.exists()  # refused before writing anything
    else:
        assert built.refused is None
        assert (site / "index.html").is_file()
    assert snapshot(outer, site) == before, "the build changed files outside site_dir"
    assert not list(outer.rglob("EXECUTED*")), "plan content was executed"


@pytest.mark.parametrize(
    "entry", [e for e in CATALOGUE if e.name in THROUGH_THE_COMMAND], ids=sorted(THROUGH_THE_COMMAND, key=NAMES.index)
)
def test_the_mkdocs_command_reports_exactly_and_stays_inside_site_dir(entry: Entry, tmp_path: Path) -> None:
    outer, project, before = _prepared(entry, tmp_path)
    site = project / "site"

    done = mkdocs("build", cwd=project)

    output = done.stdout + done.stderr
    assert_no_traceback(output)
    assert problem_lines(done.stderr) == entry.expected
    assert done.returncode == (1 if _fails(entry) else 0), output
    if _fails(entry):
        assert "northstar: the plan has" in done.stderr and not site.exists()
    else:
        assert (site / "index.html").is_file()
    assert snapshot(outer, site) == before, "the build changed files outside site_dir"
    assert not list(outer.rglob("EXECUTED*")), "plan content was executed"


@pytest.mark.parametrize("hostile", RUNTIME, ids=[h.name for h in RUNTIME])
def test_cli_reports_runtime_inputs_exactly(hostile: Hostile, tmp_path: Path) -> None:
    """The golden cases run through `check_plan` in test_cases.py; these are made here, so check the CLI too."""
    plan = build_case(CASES / "_base", tmp_path)
    hostile.make(plan)
    done = run_cli("check", "--as-of", "2026-11-24", "plan", cwd=tmp_path)
    assert_no_traceback(done.stdout + done.stderr)
    assert done.stdout.splitlines()[:-1] == list(hostile.expected)
    assert not list(tmp_path.rglob("EXECUTED*"))


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """One built site per attack vector: vector -> (site dir, field names)."""
    built = {}
    for vector, text in VECTORS.items():
        outer = tmp_path_factory.mktemp(f"hostile-{vector}")
        project = make_project(outer)
        plan = build_case(CASES / "_base", project)
        files, fields = hostile_plan(text)
        for rel, content in files.items():
            (plan / rel).write_text(content, encoding="utf-8")
        commit_all(project, message=text(len(fields) + 1), author=f"Eve F{len(fields) + 2:02d}")
        site = project / "site"
        before = snapshot(outer, site)
        done = mkdocs("build", cwd=project)
        assert done.returncode == 0, done.stderr
        assert_no_traceback(done.stdout + done.stderr)
        assert snapshot(outer, site) == before
        built[vector] = (site, [*fields, "commit.subject"])
    return built


def _page_texts(site: Path) -> str:
    texts = []
    for html in sorted(site.rglob("*.html")):
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if article is not None:
            texts.append(article.get_text(" "))
    return "\n".join(texts)


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_every_text_field_is_shown_and_never_live_markup(
    vector: str, hostile_sites: dict[str, tuple[Path, list[str]]]
) -> None:
    site, fields = hostile_sites[vector]
    text = _page_texts(site)
    shown = {int(n) for n in re.findall(r"F(\d\d)", text)}
    assert {f for n, f in enumerate(fields, 1) if n not in shown} == NOT_ON_PAGES  # the rest reach a page
    exported = (site / "plan.json").read_text(encoding="utf-8")
    assert {f for n, f in enumerate(fields, 1) if f"F{n:02d}" not in exported} == {"commit.subject", "score_band.label"}
    unsafe = {fields[n - 1]: sorted(what) for n, what in unsafe_markup(site).items()}
    assert sorted(set(unsafe) - KNOWN_UNSAFE[vector]) == [], unsafe


def test_html_in_plan_text_shows_as_text(hostile_sites: dict[str, tuple[Path, list[str]]]) -> None:
    site, fields = hostile_sites["html"]
    text = " ".join(_page_texts(site).split())
    for n, field in enumerate(fields, 1):
        if field in NOT_ON_PAGES or field in KNOWN_UNSAFE["html"]:
            continue
        assert f"F{n:02d} <script>alert({n})</script> <img src=x onerror=alert({n})>" in text, field
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for n in range(1, len(fields) + 1):
        if fields[n - 1] not in KNOWN_UNSAFE["html"]:
            assert f"<script>alert({n})" not in index and f"<img src=x onerror=alert({n})" not in index


def test_safe_markdown_links_survive_unsafe_ones_do_not(hostile_sites: dict[str, tuple[Path, list[str]]]) -> None:
    site, fields = hostile_sites["markdown"]
    hrefs = set()
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        hrefs |= {str(a["href"]) for a in soup.select("article a[href]")}
    for field in ("objective.description", "strategy.purpose", "not_doing.why", "team.mission"):
        assert f"https://example.com/{fields.index(field) + 1}" in hrefs, field  # Markdown links in text work
    live = {h for h in hrefs if urlsplit(h).scheme.lower() in {"javascript", "data", "vbscript"}}
    known = {n for n, f in enumerate(fields, 1) if f in KNOWN_UNSAFE["markdown"]}
    assert {h for h in live if int(re.findall(r"alert\((\d+)\)", h)[0]) not in known} == set()


def test_jinja_in_plan_text_is_never_evaluated(hostile_sites: dict[str, tuple[Path, list[str]]]) -> None:
    site, fields = hostile_sites["jinja"]
    text = " ".join(_page_texts(site).split())
    for n, field in enumerate(fields, 1):
        literal = " ".join(VECTORS["jinja"](n).split())
        assert (literal in text) != (field in NOT_ON_PAGES), field
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert not re.search(r"F\d\d 49\b", text)  # {{ 7 * 7 }} never became 49
    assert "site_name: Hostile" not in everything  # {% include 'mkdocs.yml' %} never read the config
    assert "XXX" not in text  # the for loop never ran
    exported = json.loads((site / "plan.json").read_text(encoding="utf-8"))
    assert VECTORS["jinja"](1) in json.dumps(exported, ensure_ascii=False)  # the export keeps the text as written
