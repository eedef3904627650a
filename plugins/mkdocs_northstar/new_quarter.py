"""`northstar new-quarter`: the next quarter's files, started from the last quarter's close.

Each team's work that its `close` carries forward comes over with its ids, targets, owners and
links, and with the comments written on it; check-ins, grades and completion are reset. KPIs
come over whole, without their readings. A missing quarter is added to `company.yml` (and its
year, when the quarter starts a new one) by a round-trip YAML edit that keeps every comment and
line the user wrote: only the added lines differ. No existing file is overwritten.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mkdocs_northstar.dates import add_days, add_months
from mkdocs_northstar.load.plan import EXECUTION_DIR
from mkdocs_northstar.model import FINISHED, Plan, Quarter, TeamPeriod
from mkdocs_northstar.writes import write_atomic

_QUARTER_ID = re.compile(r"(\d{4})-[qQ]([1-4])")
_RESET = ("check_ins", "current", "confidence", "grade", "done")
"""What a carried key result starts the quarter without: its progress belongs to the old one."""


class NewQuarterError(Exception):
    """The quarter cannot be started as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Started:
    """What `new_quarter` did: one line per file, for the command to print."""

    lines: list[str]


def _yaml() -> YAML:
    rt = YAML()  # round-trip: comments, key order, quoting and block styles survive
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096  # never re-wrap a long line the user wrote
    rt.preserve_quotes = True
    return rt


def new_quarter(plan: Plan, quarter_id: str) -> Started:
    """Start `quarter_id`: add it to company.yml if it is missing, and write each team's file.

    Raises:
        NewQuarterError: no quarter to follow, an id that gives no dates, or a quarter that is
            not the next one.
    """
    root = plan.root
    quarters = [q for _, q in plan.quarters()]
    if not quarters:
        raise NewQuarterError("company.yml has no quarter to follow; add the first one by hand")
    lines: list[str] = []
    target = next((q for q in quarters if q.id == quarter_id), None)
    if target is None:
        target = _next_quarter(quarters[-1], quarter_id)
        lines.append(_add_to_company(root / "company.yml", target))
    before = [q for q in quarters if q.end < target.start]
    if not before:
        raise NewQuarterError(f"no quarter ends before {quarter_id} starts ({target.start}); nothing to carry forward")
    previous = before[-1]
    folder = root / EXECUTION_DIR / target.id
    folder.mkdir(parents=True, exist_ok=True)
    for path, work in sorted(plan.execution, key=lambda pw: pw[1].team):
        if work.period != previous.id:
            continue
        dest = folder / f"{work.team}.yml"
        if dest.exists():
            lines.append(f"{dest.as_posix()}: exists, left as it is")
            continue
        text, said = _carried(path, work, target)
        write_atomic(dest, text.encode("utf-8"))
        lines.append(f"{dest.as_posix()}: {said}")
    return Started(lines)


def _next_quarter(last: Quarter, quarter_id: str) -> Quarter:
    """The quarter after `last`, named `quarter_id`: three months from the day after it ends."""
    match = _QUARTER_ID.fullmatch(quarter_id)
    if match is None:
        raise NewQuarterError(
            f"{quarter_id!r} is not in company.yml, and its dates cannot be worked out from it; "
            "add the quarter to company.yml (id, start, end), or name it like 2027-q1"
        )
    start = add_days(last.end, 1)
    end = add_days(add_months(start, 3), -1)
    name = f"Q{match.group(2)} {match.group(1)}"
    return Quarter(id=quarter_id.lower(), name=name, start=start, end=end)


def _add_to_company(path: Path, quarter: Quarter) -> str:
    rt = _yaml()
    original = path.read_text(encoding="utf-8")
    data = rt.load(original)
    years = data.get("years") if isinstance(data, dict) else None
    if not isinstance(years, CommentedSeq):
        raise NewQuarterError(f"{path.as_posix()} has no list of years to add {quarter.id} to")
    entry = CommentedMap(id=quarter.id, name=quarter.name, start=quarter.start, end=quarter.end)
    holding = next((y for y in years if _holds(y, quarter.start)), None)
    if holding is not None:
        holding.setdefault("quarters", CommentedSeq()).append(entry)
        said = f"added {quarter.id} ({quarter.start} to {quarter.end}) to year {holding['id']}"
    else:
        last = years[-1]
        start = add_days(last["end"], 1)
        year = CommentedMap(id=str(start.year), name=f"FY{start.year}", start=start)
        year["end"] = add_days(add_months(start, 12), -1)
        year["quarters"] = CommentedSeq([entry])
        years.append(year)
        said = f"added year {year['id']} and its quarter {quarter.id} ({quarter.start} to {quarter.end})"
    out = io.StringIO()
    rt.dump(data, out)
    write_atomic(path, out.getvalue().encode("utf-8"))
    return f"{path.as_posix()}: {said}"


def _holds(year: Any, day: date) -> bool:
    start, end = year.get("start"), year.get("end")
    return isinstance(start, date) and isinstance(end, date) and start <= day <= end


def _carried(path: Path, work: TeamPeriod, quarter: Quarter) -> tuple[str, str]:
    """The new file's text, and what it carried."""
    rt = _yaml()
    old = rt.load(path.read_text(encoding="utf-8"))
    carry = set(work.close.carry_forward) if work.close else set()
    new = CommentedMap()
    new["team"] = work.team
    new["period"] = quarter.id
    objectives = [_objective(o, quarter) for o in old.get("objectives") or [] if o.get("id") in carry]
    rocks = [_rock(r, quarter) for r in old.get("rocks") or [] if r.get("id") in carry]
    kpis = [_kpi(k) for k in old.get("kpis") or []]
    new["objectives"] = CommentedSeq(objectives)
    if rocks:
        new["rocks"] = CommentedSeq(rocks)
    if kpis:
        new["kpis"] = CommentedSeq(kpis)
    out = io.StringIO()
    out.write("# yaml-language-server: $schema=../../schema/execution.schema.json\n")
    rt.dump(new, out)
    counts = [(len(objectives), "objective"), (len(rocks), "rock"), (len(kpis), "KPI")]
    said = ", ".join(f"{n} {noun}{'s' * (n != 1)}" for n, noun in counts)
    return out.getvalue(), f"{said} carried forward"


def _objective(objective: Any, quarter: Quarter) -> Any:
    carried = copy.deepcopy(objective)
    for kr in carried.get("key_results") or []:
        for key in _RESET:
            kr.pop(key, None)
        if isinstance(kr.get("due"), date) and kr["due"] < quarter.start:
            kr["due"] = quarter.end
    return carried


def _rock(rock: Any, quarter: Quarter) -> Any:
    carried = copy.deepcopy(rock)
    carried.pop("done", None)
    if carried.get("status") in FINISHED:
        carried["status"] = "not-started"
    if isinstance(carried.get("due"), date) and carried["due"] < quarter.start:
        carried["due"] = quarter.end
    return carried


def _kpi(kpi: Any) -> Any:
    carried = copy.deepcopy(kpi)
    carried.pop("check_ins", None)
    carried.pop("current", None)
    return carried
