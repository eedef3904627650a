"""Reading a file part by part (`mkdocs_northstar.load.items.Parts`) must give exactly what reading it whole gives.

Parts are only a faster way to the same models: for every golden case, the example plan, a list of
YAML written to trip the split, and mutated team files, the problems, the model and the text are
compared with the whole read. Reading a second version shows that unchanged parts are reused (the
very same objects, which the history's diff relies on) and that the history is the same with them.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_northstar.history.timeline import History, update
from mkdocs_northstar.load import items
from mkdocs_northstar.load.items import Parts
from mkdocs_northstar.load.plan import FileCache, Parsed, file_kind, load_plan, parse_file
from mkdocs_northstar.model import TeamPeriod

from tests.conftest import CASES, ROOT, build_case
from tests.history_helpers import PlanRepo, generated_history

SALES = ROOT / "plan" / "execution" / "2026-q4" / "sales.yml"


def read_both(path: Path, kind: str, raw: bytes, parts: Parts | None = None) -> tuple[Parsed, bool]:
    """Both reads of `raw`; asserts they agree; returns the part-by-part read and whether it took the fast way."""
    whole = parse_file(path, kind, lambda: raw)
    parts = parts if parts is not None else Parts()
    fast = parts.read(path, kind, raw) is not None
    by_parts = parse_file(path, kind, lambda: raw, parts)
    assert by_parts[1] == whole[1]
    assert by_parts[2] == whole[2]
    assert (by_parts[0] is None) == (whole[0] is None)
    if by_parts[0] is not None and whole[0] is not None:
        assert by_parts[0].text == whole[0].text
    return by_parts, fast


def plan_files(plan: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(plan.rglob("*")):
        kind = file_kind(PurePosixPath(path.relative_to(plan).as_posix())) if path.is_file() else None
        if kind is not None and kind != "unknown":
            found.append((path, kind))
    return found


def test_the_example_plan_reads_the_same_and_fast() -> None:
    fast = [read_both(path, kind, path.read_bytes())[1] for path, kind in plan_files(ROOT / "plan")]
    assert len(fast) > 10
    assert all(fast[i] for i, (_, kind) in enumerate(plan_files(ROOT / "plan")) if kind != "strategy")


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_golden_case_reads_the_same(case: str, tmp_path: Path) -> None:
    plan = build_case(CASES / case, tmp_path)
    for path, kind in plan_files(plan):
        read_both(path, kind, path.read_bytes())


HEAD = "team: sales\nperiod: 2026-q4\n"
KR = (
    "    key_results:\n      - id: k1\n        title: K one\n        owner: ana\n"
    "        baseline: 0\n        target: 10\n"
)
TRICKY = {
    "indentless lists": HEAD
    + "objectives:\n- id: o1\n  title: O\n  key_results:\n  - id: k1\n    title: K\n    owner: ana\n"
    + "    baseline: 0\n    target: 10\n    check_ins:\n    - date: 2026-10-01\n      value: 1\n",
    "a quoted title across the item line": HEAD + 'objectives:\n  - id: o1\n    title: "one\n  - two"\n' + KR,
    "a quoted title across a key line": HEAD + 'objectives:\n  - id: o1\n    title: "one\nrocks: two"\n' + KR,
    "a quoted title across a key result": HEAD
    + "objectives:\n  - id: o1\n    title: O\n    key_results:\n      - id: k1\n        title: 'a\n      - b'\n"
    + "        owner: ana\n        baseline: 0\n        target: 1\n",
    "an anchor in one item, its alias in another": HEAD
    + "objectives:\n  - id: o1\n    title: &t Same\n"
    + KR
    + "  - id: o2\n    title: *t\n"
    + KR.replace("k1", "k2"),
    "a block scalar with list-like lines": HEAD
    + "objectives:\n  - id: o1\n    title: O\n    description: |\n      - not an item\n      key: not a key\n"
    + KR,
    "comments between and inside items": "# top\n"
    + HEAD
    + "# before\nobjectives: # the list\n# col 0\n  - id: o1 # trailing\n    # inside\n    title: O\n"
    + KR
    + "# after\n",
    "key results first in their objective": HEAD
    + "objectives:\n  - key_results:\n      - id: k1\n        title: K\n        owner: ana\n        baseline: 0\n"
    + "        target: 1\n    id: o1\n    title: O\n",
    "key results in flow style": HEAD
    + "objectives:\n  - id: o1\n    title: O\n"
    + "    key_results: [{id: k1, title: K, owner: ana, baseline: 0, target: 1}]\n",
    "a key after the key results": HEAD + "objectives:\n  - id: o1\n    title: O\n" + KR + "    weight: 2\n",
    "a duplicate top-level key": HEAD + "team: other\nobjectives:\n  - id: o1\n    title: O\n" + KR,
    "a duplicate key in an item": HEAD + "objectives:\n  - id: o1\n    title: O\n    title: P\n" + KR,
    "a duplicate key in a key result": HEAD + "objectives:\n  - id: o1\n    title: O\n" + KR + "        target: 11\n",
    "a misspelt key in a key result": HEAD + "objectives:\n  - id: o1\n    title: O\n" + KR.replace("owner", "ownr"),
    "an unsafe tag in a key result": HEAD
    + "objectives:\n  - id: o1\n    title: O\n"
    + KR.replace("K one", "!!python/object/apply:os.system [ls]"),
    "items at mixed indentation": HEAD + "objectives:\n  - id: o1\n    title: O\n" + KR + " - id: o2\n   title: P\n",
    "a list that is not the key's value": HEAD + "objectives:\n  foo: 1\n  - id: o1\n",
    "tabs": HEAD.replace(" ", "\t", 1) + "objectives: []\n",
    "windows line ends": (HEAD + "objectives:\n  - id: o1\n    title: O\n" + KR).replace("\n", "\r\n"),
    "a byte order mark": "\ufeff" + HEAD + "objectives: []\n",
    "a document marker": "---\n" + HEAD + "objectives: []\n",
    "two documents": HEAD + "---\nteam: b\n",
    "an empty item": HEAD + "objectives:\n  -\n  - id: o1\n    title: O\n" + KR,
    "an item with more spaces after the dash": HEAD
    + "objectives:\n  -   id: o1\n      title: O\n"
    + KR.replace("    ", "      ", 1),
    "a top-level key that is not plain": HEAD + '"objectives":\n  - id: o1\n    title: O\n' + KR,
    "a list at the top": "- team: sales\n",
    "nothing but comments": "# nothing\n",
    "a nested list under a non-list key": HEAD + "objectives:\n  - id: o1\n    title: O\n    supports:\n    - a\n" + KR,
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_yaml_written_to_trip_the_split_reads_the_same(name: str, tmp_path: Path) -> None:
    read_both(tmp_path / "sales.yml", "execution", TRICKY[name].encode())


def test_plainly_written_files_take_the_fast_way(tmp_path: Path) -> None:
    for name in ("indentless lists", "comments between and inside items", "a key after the key results"):
        assert read_both(tmp_path / "sales.yml", "execution", TRICKY[name].encode())[1], name


def test_a_second_version_reuses_every_part_it_did_not_change(tmp_path: Path) -> None:
    path, parts = tmp_path / "sales.yml", Parts()
    text = SALES.read_text()
    first = read_both(path, "execution", text.encode(), parts)[0][2]
    edited = text.replace("        target: 30\n", "        target: 31\n", 1)
    assert edited != text
    second = read_both(path, "execution", edited.encode(), parts)[0][2]
    assert isinstance(first, TeamPeriod) and isinstance(second, TeamPeriod)
    same = [a is b for a, b in zip(first.objectives, second.objectives, strict=True)]
    assert same.count(False) == 1  # only the objective holding the edited key result is new
    changed = same.index(False)
    krs = zip(first.objectives[changed].key_results, second.objectives[changed].key_results, strict=True)
    assert [a is b for a, b in krs] == [True, False]
    assert all(a is b for a, b in zip(first.rocks, second.rocks, strict=True))


LINE_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["drop", "copy", "indent", "dedent", "quote", "dash", "colon", "comment", "swap"]),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=4,
)


def mutate(text: str, edits: list[tuple[str, int]]) -> str:
    lines = text.split("\n")
    for op, at in edits:
        i = at % len(lines)
        line = lines[i]
        if op == "drop":
            del lines[i]
        elif op == "copy":
            lines.insert(i, line)
        elif op == "indent":
            lines[i] = "  " + line
        elif op == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line
        elif op == "quote":
            lines[i] = line.replace(": ", ': "', 1)
        elif op == "dash":
            lines[i] = line.replace("  ", "- ", 1)
        elif op == "colon":
            lines[i] = line + ":"
        elif op == "comment":
            lines[i] = "#" + line
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=LINE_EDITS, indentless=st.booleans())
def test_mutated_team_files_read_the_same_alone_and_after_a_version(
    edits: list[tuple[str, int]], indentless: bool
) -> None:
    text = SALES.read_text()
    if indentless:
        text = TRICKY["indentless lists"]
    path = Path("plan/execution/2026-q4/sales.yml")
    read_both(path, "execution", mutate(text, edits).encode())
    parts = Parts()
    read_both(path, "execution", text.encode(), parts)
    read_both(path, "execution", mutate(text, edits).encode(), parts)


def test_the_history_is_the_same_read_by_parts(tmp_path: Path) -> None:
    plan = generated_history(tmp_path, "S", 300, 3)
    whole = update(plan)
    cache = FileCache()
    load_plan(plan, cache)
    by_parts = update(plan, known=cache.parsed_blob, parts=cache.parts)
    assert isinstance(whole, History) and isinstance(by_parts, History)
    assert len(whole.revisions) == 300
    assert [(r.commit, r.changes, r.problems) for r in by_parts.revisions] == [
        (r.commit, r.changes, r.problems) for r in whole.revisions
    ]
    assert sum(len(r.changes) for r in whole.revisions) > 300


def test_a_scripted_history_is_the_same_read_by_parts(tmp_path: Path) -> None:
    repo = PlanRepo(tmp_path)
    repo.edit("execution/2026-q4/sales.yml", "        target: 40\n", "        target: 41\n")
    repo.commit("Raise the target", "2026-10-01")
    repo.edit("execution/2026-q4/leadership.yml", "        target: 8\n", "        target: 9\n")
    repo.edit("execution/2026-q4/sales.yml", "        target: 41\n", "        target: 40\n")
    repo.commit("Raise one, lower one", "2026-10-02")
    whole = update(repo.plan)
    cache = FileCache()
    load_plan(repo.plan, cache)
    by_parts = update(repo.plan, known=cache.parsed_blob, parts=cache.parts)
    assert isinstance(whole, History) and isinstance(by_parts, History)
    assert [r.changes for r in by_parts.revisions] == [r.changes for r in whole.revisions]
    said = [" ".join(c.text for c in r.changes) for r in whole.revisions]
    assert "target 40 → 41" in said[1] and "target 8 → 9" in said[2] and "target 41 → 40" in said[2]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab_- #:\n", max_size=60), indent=st.sampled_from(["", " ", "  "]))
def test_line_starts_are_found_as_a_multiline_caret_finds_them(text: str, indent: str) -> None:
    """The split looks for a newline, never at every character; the pieces are those of `^`."""
    assert items._split_lines(text, items._KEY_LINE) == re.split(r"(?m)^(?=[A-Za-z_])", text)
    assert items._split_lines(text, items._item_line(indent)) == re.split(f"(?m)^(?={indent}-(?: |$))", text)
    plain = re.search(r"(?m)^(?![A-Za-z_]|- |-$|#|$| )", text)
    assert (items._PLAIN.search("\n" + text) is None) == (plain is None)
