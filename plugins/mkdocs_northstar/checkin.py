"""`northstar checkin`: an owner's weekly update, written into the plan without editing YAML.

An update names a key result, KPI or rock by its id. It is written into its team's file as the
lines a careful person would add (`yamledit`): a new check-in at the end of `check_ins:`, or a
rock's `status:` where it stands. The whole plan is then checked as it would be after the edit:
an update the checks reject is refused with their messages, and nothing is written. Several
updates (a spreadsheet import) are applied together or not at all.

Each edited file is read back and compared with its old model plus the update, so an edit that
landed anywhere but where it was meant is refused too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mkdocs_northstar.check import Report, check_plan
from mkdocs_northstar.export import plan_export
from mkdocs_northstar.exported import KeyResultExport, KpiExport, PlanExport, RockExport
from mkdocs_northstar.index import Entry
from mkdocs_northstar.load.plan import FileCache
from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import FINISHED, ROCK_STATUSES, KeyResult, Kpi, Rock, TeamPeriod
from mkdocs_northstar.problems import Problem, did_you_mean, printable
from mkdocs_northstar.progress import kr_achieved, quarter_pace
from mkdocs_northstar.rules.context import current_period
from mkdocs_northstar.yamledit import Edit, EditError, append_item, set_value

_BOM = "\ufeff"


@dataclass(frozen=True)
class Update:
    """One owner's update: a reading of a key result or KPI, or a rock's status."""

    id: str
    value: float | None = None
    """The value now; None for a note or a confidence alone, a milestone or a rock."""
    confidence: float | None = None
    note: str = ""
    day: date | None = None
    """The day of the reading; None: the day the update is made."""
    status: str | None = None
    """A rock's status, or `done` for a milestone."""
    source: str = ""
    """Where the update came from, for messages (`updates.csv:4`); empty on the command line."""


class CheckInError(Exception):
    """The updates were refused and nothing was written; `lines` says why, a line each."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class Changed:
    """One file: its bytes before and after the updates."""

    path: Path
    before: bytes
    after: bytes


@dataclass(frozen=True)
class Reported:
    """An update as written, and where the item stands after it, in words."""

    update: Update
    entry: Entry
    standing: str
    owner: str
    """The item's owner: name, and handle when people.yml gives one."""

    @property
    def said(self) -> str:
        """The update in a few words, for a commit message: `sales-win-rate: 28.1, confidence 0.6`."""
        u = self.update
        parts = [f"{u.value:g}" if u.value is not None else "", f"status {u.status}" if u.status else ""]
        parts += [f"confidence {u.confidence:g}" if u.confidence is not None else "", "a note" if u.note else ""]
        return f"{u.id}: {', '.join(p for p in parts if p)}"


@dataclass(frozen=True)
class CheckedIn:
    """What the updates change: the files (not yet written), each update's standing, and the
    dated notices they raise (never a reason to refuse)."""

    files: list[Changed]
    reported: list[Reported]
    notices: list[Problem]


Operation = tuple[str, Loc, str, Any]
"""("append", loc, key, item) or ("set", loc, key, value): one edit of a file."""


@dataclass
class _File:
    """A file being edited: its text, what its model must become, and the lines each update added."""

    path: Path
    raw: bytes
    text: str
    bom: bool
    model: dict[str, Any]
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    """(first line, lines added, whose) for each edit, in the current text."""

    @classmethod
    def read(cls, path: Path, work: TeamPeriod) -> _File:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        bom = text.startswith(_BOM)
        return cls(path, raw, text.removeprefix(_BOM), bom, work.model_dump())

    def apply(self, edit: Edit, whose: str) -> None:
        self.spans = [(s + edit.added if s >= edit.line and edit.added else s, n, w) for s, n, w in self.spans]
        self.spans.append((edit.line, edit.added, whose))
        self.text = edit.text

    def whose(self, line: int) -> str | None:
        for start, added, who in reversed(self.spans):
            if start <= line < start + max(added, 1):
                return who
        return None

    def encoded(self) -> bytes:
        return ((_BOM if self.bom else "") + self.text).encode("utf-8")


def check_in(root: Path, updates: Sequence[Update], *, as_of: date, period: str | None = None) -> CheckedIn:
    """Work out `updates` against the plan under `root`, judged as of `as_of`; write nothing.

    Raises:
        CheckInError: an update names nothing the plan has, does not fit the item, or makes the
            checks fail; every such update is listed, and no file is to be written.
    """
    cache = FileCache()
    before = check_plan(root, as_of=as_of, cache=cache)
    files: dict[Path, _File] = {}
    refused: list[str] = []
    entries: list[tuple[Update, Entry]] = []
    for update in updates:
        try:
            entry = find(before, update.id, update.day or as_of, period)
            operations = _operations(entry, update, update.day or as_of, as_of)
            work = before.index.work[(entry.team or "", entry.period or "")][1]
            file = files.get(entry.path) or files.setdefault(entry.path, _File.read(entry.path, work))
            for operation in operations:
                file.apply(_edit(file.text, operation), update.source or update.id)
                _expect(file.model, operation)
        except CheckInError as exc:
            refused += [_from(update, line) for line in exc.lines]
            continue
        except EditError as exc:
            refused.append(_from(update, f"{entry.path.as_posix()}: {exc}; add it by hand"))
            continue
        entries.append((update, entry))
    if refused:
        raise CheckInError(refused)
    after = check_plan(root, as_of=as_of, cache=cache, edits={p: f.encoded() for p, f in files.items()})
    new = _new_problems(before.problems, after.problems)
    blocking = [p for p in new if p.severity != "notice" or p.code == "NS313"]
    if blocking:
        raise CheckInError([_placed(p, files) for p in blocking])
    _verify(after, files)
    exported = plan_export(after) if not after.errors else None
    reported = [Reported(u, e, standing(after, exported, e), _owner(after, e)) for u, e in entries]
    changed = [Changed(f.path, f.raw, f.encoded()) for f in files.values() if f.encoded() != f.raw]
    return CheckedIn(changed, reported, [p for p in new if p not in blocking])


def _owner(report: Report, entry: Entry) -> str:
    owner = getattr(entry.item, "owner", "") or ""
    people = {p.id: p for p in report.plan.people.people} if report.plan.people else {}
    person = people.get(owner)
    if person is None:
        return owner
    return f"{person.name} (@{person.handle})" if person.handle else person.name


def _from(update: Update, line: str) -> str:
    return f"{update.source}: {line}" if update.source else line


# --- finding the item --------------------------------------------------------------------------


_WORK_KINDS = ("key-result", "kpi", "rock")


def find(report: Report, item_id: str, day: date, period: str | None = None) -> Entry:
    """The key result, KPI or rock `item_id` of the quarter `period` (default: the one holding `day`).

    Raises:
        CheckInError: no quarter holds the day, or the quarter has no such item (the message
            names the quarters that do, and the closest id).
    """
    plan = report.plan
    _, quarter = current_period(plan, day, period)
    if quarter is None or (period is None and not quarter.start <= day <= quarter.end):
        held = f"the quarter {period!r}" if period else f"{day}"
        raise CheckInError([f"no quarter in company.yml holds {held}; add it, or pass --period"])
    entry = report.index.entries.get((quarter.id, item_id))
    if entry is not None and entry.kind in _WORK_KINDS:
        return entry
    if entry is not None:
        raise CheckInError([f"{item_id!r} is an objective; check in on one of its key results"])
    elsewhere = sorted(p for (p, i), e in report.index.entries.items() if i == item_id and p and e.kind in _WORK_KINDS)
    if elsewhere:
        ends = {q.id: q.end for _, q in plan.quarters()}
        last = elsewhere[-1]
        hint = f"; to report its reading for that quarter, pass --period {last} (and --date, up to {ends.get(last)})"
        raise CheckInError([f"{item_id!r} is in {', '.join(elsewhere)}, not in {quarter.id}, which holds {day}{hint}"])
    ids = [i for (p, i), e in report.index.entries.items() if p == quarter.id and e.kind in _WORK_KINDS]
    raise CheckInError([f"no key result, KPI or rock {item_id!r} in {quarter.id}{did_you_mean(item_id, ids)}"])


# --- what an update does to its item -------------------------------------------------------------


def _operations(entry: Entry, update: Update, day: date, as_of: date) -> list[Operation]:
    """The edits that record `update` on the item of `entry`.

    Raises:
        CheckInError: the update does not fit the item (a value for a rock, a status for a number...).
    """
    if day > as_of:
        raise CheckInError([f"dated {day}, after today ({as_of}): a check-in reports what has happened"])
    item = entry.item
    if isinstance(item, Rock):
        return _rock(entry.loc, item, update, day)
    if update.status is not None and not (isinstance(item, KeyResult) and item.kind == "milestone"):
        raise CheckInError([f"{update.id} is a {_kind(item)}: --status is for rocks, and `done` for milestones"])
    if isinstance(item, KeyResult) and item.grade is not None:
        raise CheckInError([f"{update.id} is graded ({item.grade:g}): its quarter is closed"])
    if isinstance(item, KeyResult) and item.kind == "milestone":
        return _milestone(entry.loc, item, update, day)
    assert isinstance(item, KeyResult | Kpi)  # noqa: S101 - find() returns only these three kinds
    if update.value is None and update.confidence is None and not update.note:
        raise CheckInError([f"{update.id}: give a value (or a note or a confidence without one)"])
    if item.current is not None and not item.check_ins:
        return _current(entry.loc, item, update)
    return [("append", entry.loc, "check_ins", _reading(update, day))]


def _kind(item: object) -> str:
    if isinstance(item, KeyResult):
        return f"{item.kind} key result" if item.kind != "number" else "key result"
    return "KPI" if isinstance(item, Kpi) else "rock"


def _reading(update: Update, day: date) -> dict[str, Any]:
    reading: dict[str, Any] = {"date": day}
    if update.value is not None:
        reading["value"] = update.value
    if update.confidence is not None:
        reading["confidence"] = update.confidence
    if update.note:
        reading["note"] = update.note
    return reading


def _rock(loc: Loc, rock: Rock, update: Update, day: date) -> list[Operation]:
    if update.value is not None or update.confidence is not None or update.note:
        raise CheckInError(
            [f"{update.id} is a rock: it takes a status ({', '.join(ROCK_STATUSES)}), not a value, confidence or note"]
        )
    if update.status is None:
        raise CheckInError([f"{update.id} is a rock: give its status ({', '.join(ROCK_STATUSES)})"])
    if update.status == rock.status:
        return []  # still where it was: said, nothing to write
    if rock.status in FINISHED or rock.done is not None:
        raise CheckInError([f"{update.id} is {rock.status}: to reopen it, edit its file (and its `done:` date)"])
    operations: list[Operation] = [("set", loc, "status", update.status)]
    if update.status == "done" and rock.done is None:
        operations.append(("set", loc, "done", day))
    return operations


def _milestone(loc: Loc, kr: KeyResult, update: Update, day: date) -> list[Operation]:
    if update.value is not None:
        raise CheckInError(
            [f"{update.id} is a milestone: it has no value; report it with --status done, or a note or confidence"]
        )
    operations: list[Operation] = []
    if update.status == "done":
        if kr.done is not None:
            raise CheckInError([f"{update.id} is already done ({kr.done})"])
        operations.append(("set", loc, "done", day))
    if update.note or update.confidence is not None:
        operations.append(("append", loc, "check_ins", _reading(update, day)))
    if not operations:
        raise CheckInError([f"{update.id} is a milestone: give --status done, a note or a confidence"])
    return operations


def _current(loc: Loc, item: KeyResult | Kpi, update: Update) -> list[Operation]:
    """An item tracked with `current:` (no dated check-ins): its value and confidence are replaced."""
    if update.note or update.day is not None or (isinstance(item, Kpi) and update.confidence is not None):
        raise CheckInError(
            [
                f"{update.id} is tracked with `current:`, which keeps no dated readings, so it takes a value "
                "(and a key result a confidence), not a note or a date; to keep dated check-ins, replace "
                "`current:` with `check_ins:` in its file"
            ]
        )
    operations: list[Operation] = []
    if update.value is not None:
        operations.append(("set", loc, "current", update.value))
    if update.confidence is not None:
        operations.append(("set", loc, "confidence", update.confidence))
    return operations


def _edit(text: str, operation: Operation) -> Edit:
    verb, loc, key, value = operation
    if verb == "append":
        flow = False if value.get("note") else None  # a note reads best on a line of its own
        return append_item(text, loc, key, value, flow=flow)
    return set_value(text, loc, key, value)


def _expect(model: dict[str, Any], operation: Operation) -> None:
    """Apply `operation` to a file's model as plain data: what reading the edited file must give."""
    verb, loc, key, value = operation
    node: Any = model
    for part in loc:
        node = node[part]
    if verb == "append":
        node[key] = [*node.get(key, []), {"value": None, "confidence": None, "note": "", **value}]
    else:
        node[key] = value


# --- checking the result -------------------------------------------------------------------------


def _new_problems(before: Sequence[Problem], after: Sequence[Problem]) -> list[Problem]:
    known: dict[tuple[str, str, str, str], int] = {}
    for found in before:
        known[found.identity] = known.get(found.identity, 0) + 1
    new = []
    for found in after:
        key = found.identity
        if known.get(key, 0):
            known[key] -= 1
        else:
            new.append(found)
    return new


def _placed(found: Problem, files: dict[Path, _File]) -> str:
    """A refusing problem, said of the update that caused it, with the line it would have written."""
    file = files.get(found.path)
    if file is None:
        return str(found)
    whose = file.whose(found.line)
    lines = file.text.splitlines()
    shown = lines[found.line - 1].strip() if 0 < found.line <= len(lines) else ""
    said = f"{whose}: {found}" if whose else str(found)
    return said + (printable(f" (in the line it would add: {shown})") if whose and shown else "")


def _verify(after: Report, files: dict[Path, _File]) -> None:
    """Every edited file reads back as its old model plus the updates, or the edit is refused."""
    models = dict(after.plan.execution)
    for path, file in files.items():
        try:
            wanted = TeamPeriod.model_validate(file.model)
        except ValidationError:
            wanted = None
        if wanted is None or models.get(path) != wanted:
            raise CheckInError(
                [f"{path.as_posix()}: the check-in could not be placed without changing something else; add it by hand"]
            )


# --- where the item stands after the update --------------------------------------------------------


def standing(report: Report, exported: PlanExport | None, entry: Entry) -> str:
    """The item after its update, in one line: its value, progress and status band."""
    if exported is None:
        return f"{entry.id}: written; progress is not shown while the plan has errors"
    work = next(w for w in exported.work if w.team == entry.team and w.period == entry.period)
    bands = {b.id: b.label for b in report.plan.settings.score_bands} | {"not-started": "Not started"}
    if entry.kind == "rock":
        rock = next(r for r in work.rocks if r.id == entry.id)
        return _rock_standing(rock)
    if entry.kind == "kpi":
        return _kpi_standing(next(k for k in work.kpis if k.id == entry.id))
    kr = next(k for o in work.objectives for k in o.key_results if k.id == entry.id)
    return _kr_standing(kr, report.index.entries[entry.key], bands, report)


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "no value"
    shown = f"{value:,.6g}" if abs(value) < 1e15 else f"{value:g}"
    return f"{shown} {unit}".strip() if unit not in ("%",) else f"{shown}%"


def _rock_standing(rock: RockExport) -> str:
    done = f" on {rock.done}" if rock.done else ""
    return f"{rock.id}: {rock.status}{done} (due {rock.due})"


def _kpi_standing(kpi: KpiExport) -> str:
    aim = ("≥ " if kpi.direction == "up" else "≤ ") + _num(kpi.target, kpi.unit)
    met = {True: "on target", False: "off target", None: "no value yet"}[kpi.on_target]
    return f"{kpi.id}: {_num(kpi.current, kpi.unit)} against {aim}: {met}"


def _kr_standing(kr: KeyResultExport, entry: Entry, bands: dict[str, str], report: Report) -> str:
    """A key result's standing, its percentages unrounded until printed, as its team page prints them."""
    achieved = kr_achieved(entry.item, report.as_of)
    if kr.kind == "milestone":
        due = f" (due {kr.due})" if kr.due else ""
        said = f"done {kr.done}{due}" if kr.done else f"not done{due}"
    elif kr.kind == "hold":
        aim = ("≥ " if kr.direction == "up" else "≤ ") + _num(kr.target, kr.unit)
        said = f"{_num(kr.current, kr.unit)}, holding {aim}"
        if achieved is not None:
            said += f": held at {round(achieved * 100)}% of readings"
    else:
        said = f"{_num(kr.current, kr.unit)} (from {_num(kr.baseline)} to {_num(kr.target, kr.unit)})"
        if achieved is not None:
            said += f", {round(achieved * 100)}% of the way"
    if kr.progress is None:
        return f"{kr.id}: {said}; no progress yet (no value)"
    if kr.band is None or kr.score is None:
        return f"{kr.id}: {said}"
    status = bands[kr.band]  # an id of the same bands the export judged it with
    judged = ""
    quarter = next((q for _, q in report.plan.quarters() if q.id == entry.period), None)
    expected = quarter_pace(quarter, report.plan.settings, report.as_of).expected if quarter is not None else None
    if kr.kind == "number" and expected is not None:
        judged = f" ({round(expected * 100)}% expected by {report.as_of}"
        judged += f", confidence {round(kr.confidence * 100)}%)" if kr.confidence is not None else ")"
    return f"{kr.id}: {said}; {status}{judged}"
