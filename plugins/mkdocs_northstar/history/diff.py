"""The semantic difference between two plans, worded for people.

Only meaning counts: whitespace, comments, key order and file names never show up. Items are
matched by id (check-ins by date), never by position. Which fields are compared, and how each
is shown, is said by each model field's `Diff` (see `mkdocs_northstar.model`); the functions
below only walk the plan.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from mkdocs_northstar.history.changes import Change
from mkdocs_northstar.model import (
    Company,
    Diff,
    DiffShow,
    Issue,
    KeyResult,
    Kpi,
    Model,
    Objective,
    Person,
    Plan,
    Strategy,
    Team,
    TeamPeriod,
    TradeOff,
    Year,
)

_Line = tuple[str, bool]
"""A worded change and whether it is a progress update (a check-in)."""

_Show = DiffShow
"""How a field is shown: a quoted value, a bare id, just "changed", or added/removed members."""


@dataclass(frozen=True)
class _Field:
    name: str
    show: _Show
    word: str
    check_in: bool


@dataclass(frozen=True)
class _Kind:
    fields: tuple[_Field, ...]
    title: str | None
    gone: str


_KINDS: dict[type, _Kind] = {}


def _kind(kind: type) -> _Kind:
    """What the change log compares of a kind of item, and how, as its model's fields say (`Diff`)."""
    found = _KINDS.get(kind)
    if found is None:
        model: type[Model] = kind
        fields = []
        for name, info in model.model_fields.items():
            diff = next(m for m in info.metadata if isinstance(m, Diff))  # every field has one: a test says so
            if diff.show not in ("key", "items"):
                fields.append(_Field(name, diff.show, name if diff.label is None else diff.label, diff.check_in))
        found = _KINDS[kind] = _Kind(tuple(fields), model.diff_title, model.diff_gone)
    return found


_VALUE_LIMIT = 60
"""Quoted text in a change is cut to this many characters."""
_WHY_LIMIT = 80
_TITLE_LIMIT = 200

_STRATEGY_LISTS = ("values", "targets", "where_to_play", "how_to_win", "not_doing", "talent")
_STRATEGY_TEXTS = ("strengths", "weaknesses", "trends")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T")
_M = TypeVar("_M", bound=_Identified)


def diff_plans(old: Plan | None, new: Plan, *, edited: Collection[int] | None = None) -> list[Change]:
    """What changed from `old` to `new`, in a fixed order; `old=None` means the plan was just created.

    Strategy changes come first, then company, people, teams, issues and the team files by (period, team).
    `edited`, when the caller knows it, holds the only places where `execution` may differ (the
    two have the same files in the same order); else every place is compared.
    """
    was = old if old is not None else Plan(root=new.root)
    # Files that did not change between revisions are the very same parsed objects (the loader
    # caches by content), so identity skips them: a long history costs what its edits touch.
    sections: list[tuple[Literal["strategy", "execution"], list[_Line]]] = [
        ("strategy", [] if was.strategy is new.strategy else _strategy(was.strategy, new.strategy)),
        ("execution", [] if was.company is new.company else _company(was.company, new.company)),
        ("execution", [] if was.people is new.people else _by_id(_people(was), _people(new), _person)),
        ("execution", [] if was.teams is new.teams else _by_id(_teams(was), _teams(new), _team)),
        ("execution", [] if was.issues is new.issues else _by_id(_issues(was), _issues(new), _issue)),
        ("execution", _execution(was.execution, new.execution, edited if old is not None else None)),
    ]
    return [Change(layer, text, check_in) for layer, lines in sections for text, check_in in lines]


# --- showing values ------------------------------------------------------------------------------


def _fmt(value: object, *, quote: bool = True) -> str:
    """A value as the change text shows it: `40`, `0.5`, `2026-09-15`, `'A title'`, `a, b`."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = _short(value, _VALUE_LIMIT)
        return f"'{text}'" if quote else text
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v, quote=quote) for v in value) or "none"
    return str(value)


def _short(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _canon(value: object, show: _Show) -> object:
    """What is compared: text without layout (paragraph breaks kept), id lists without order."""
    if isinstance(value, str):
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", value.strip()))
    if isinstance(value, list):
        items = [_canon(v, show) for v in value]
        return tuple(sorted(set(items), key=str)) if show in ("ref", "members") else tuple(items)
    return value


# --- generic walking -----------------------------------------------------------------------------


def _match(old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], Hashable]) -> list[tuple[_T | None, _T | None]]:
    """Pair items by key (equal keys pair in order): one pair per new item in order, then the removed."""
    keys = list(map(key, old))
    if len(old) == len(new) and keys == list(map(key, new)):
        return list(zip(old, new, strict=True))  # the usual edit: the same items in the same order
    waiting: dict[Hashable, deque[int]] = defaultdict(deque)
    for i, k in enumerate(keys):
        waiting[k].append(i)
    used: set[int] = set()
    pairs: list[tuple[_T | None, _T | None]] = []
    for item in new:
        queue = waiting.get(key(item))
        if queue:
            used.add(queue[0])
            pairs.append((old[queue.popleft()], item))
        else:
            pairs.append((None, item))
    pairs += [(item, None) for i, item in enumerate(old) if i not in used]
    return pairs


def _fields(subject: str, old: object, new: object) -> list[_Line]:
    """One line per compared field that differs; a missing side counts as empty."""
    model = new if new is not None else old
    if model is None:
        return []
    lines: list[_Line] = []
    for field in _kind(type(model)).fields:
        before = getattr(old, field.name) if old is not None else None
        after = getattr(new, field.name) if new is not None else None
        if before != after and _canon(before, field.show) != _canon(after, field.show):
            lines.append((_say(subject, field, before, after), field.check_in))
    return lines


def _say(subject: str, field: _Field, before: object, after: object) -> str:
    if field.show == "prose":
        what = "changed"
    elif field.show == "members":
        was = before if isinstance(before, list) else []
        now = after if isinstance(after, list) else []
        moves = (("added", [m for m in now if m not in was]), ("removed", [m for m in was if m not in now]))
        what = "; ".join(f"{word} {', '.join(ids)}" for word, ids in moves if ids)
    else:
        quote = field.show == "value"
        what = f"{_fmt(before, quote=quote)} → {_fmt(after, quote=quote)}"
    return " ".join(part for part in (subject, field.word, what) if part)


def _dash(item: object) -> str:
    """` — <title>` for an item added or removed, if its kind has a title."""
    title = _kind(type(item)).title
    return f" — {_short(getattr(item, title), _TITLE_LIMIT)}" if title else ""


def _by_id(
    old: Sequence[_M],
    new: Sequence[_M],
    subject: Callable[[_M], str],
    *,
    added: Callable[[_M], str] | None = None,
    removed: Callable[[_M], str] | None = None,
    inner: Callable[[str, _M, _M], list[_Line]] | None = None,
) -> list[_Line]:
    """Items matched by id: added ones, changed fields (and `inner` changes), then removed ones."""
    lines: list[_Line] = []
    for before, after in _match(old, new, lambda item: item.id):
        if before is None and after is not None:
            lines.append((added(after) if added else f"{subject(after)} added{_dash(after)}", False))
        elif after is None and before is not None:
            gone = _kind(type(before)).gone
            lines.append((removed(before) if removed else f"{subject(before)} {gone}{_dash(before)}", False))
        elif before is not None and after is not None and before is not after:  # the same object: unchanged
            lines += _fields(subject(after), before, after)
            if inner is not None:
                lines += inner(subject(after), before, after)
    return lines


# --- strategy ------------------------------------------------------------------------------------


def _strategy(old: Strategy | None, new: Strategy | None) -> list[_Line]:
    if old is None and new is None:
        return []
    lines = _fields("Strategy:", old, new)
    before, after = old and old.north_star, new and new.north_star
    if before is None and after is not None:
        lines.append(("Strategy: north star added", False))
    elif after is None and before is not None:
        lines.append(("Strategy: north star removed", False))
    else:
        lines += _fields("Strategy: north star", before, after)
    for section in _STRATEGY_LISTS:
        lines += _strategy_list(section, getattr(old, section, []), getattr(new, section, []))
    for section in _STRATEGY_TEXTS:
        for was, now in _match(getattr(old, section, []), getattr(new, section, []), lambda t: _canon(t, "value")):
            if was is None or now is None:
                word = "added" if was is None else "removed"
                lines.append((f"Strategy: {section}: {word} {_fmt(was or now)}", False))
    return lines


def _strategy_list(section: str, old: Sequence[_M], new: Sequence[_M]) -> list[_Line]:
    def added(item: _M) -> str:
        why = f" (why: {_short(item.why, _WHY_LIMIT)})" if isinstance(item, TradeOff) else ""
        return f"Strategy: added to {section}: `{item.id}`{_dash(item)}{why}"

    return _by_id(
        old,
        new,
        lambda item: f"Strategy: {section} `{item.id}`:",
        added=added,
        removed=lambda item: f"Strategy: removed from {section}: `{item.id}`{_dash(item)}",
    )


# --- company, people, teams ----------------------------------------------------------------------


def _company(old: Company | None, new: Company | None) -> list[_Line]:
    if old is None and new is None:
        return []
    return _fields("Company:", old, new) + _by_id(
        old.years if old else [],
        new.years if new else [],
        lambda year: f"Company, {year.id}:",
        added=lambda year: f"Company: year `{year.id}` added",
        removed=lambda year: f"Company: year `{year.id}` removed",
        inner=_year,
    )


def _year(subject: str, old: Year, new: Year) -> list[_Line]:
    return _by_id(old.goals, new.goals, lambda goal: f"{subject} goal `{goal.id}`") + _by_id(
        old.quarters, new.quarters, lambda quarter: f"{subject} quarter `{quarter.id}`"
    )


def _person(person: Person) -> str:
    return f"People: `{person.id}`"


def _team(team: Team) -> str:
    return f"Teams: `{team.id}`"


def _issue(issue: Issue) -> str:
    return f"Issues: `{issue.id}`"


def _issues(plan: Plan) -> list[Issue]:
    return plan.issues.issues if plan.issues else []


def _people(plan: Plan) -> list[Person]:
    return plan.people.people if plan.people else []


def _teams(plan: Plan) -> list[Team]:
    return plan.teams.teams if plan.teams else []


# --- execution -----------------------------------------------------------------------------------


def _execution(
    old_files: Sequence[tuple[Path, TeamPeriod]],
    new_files: Sequence[tuple[Path, TeamPeriod]],
    places: Collection[int] | None,
) -> list[_Line]:
    def key(tp: TeamPeriod) -> tuple[str, str]:
        return (tp.period, tp.team)

    if len(old_files) == len(new_files):  # the usual commit: the same files, a few of them edited
        # The history replaces only the entries of edited files: find them without a Python loop.
        changed: Iterable[int] = (
            sorted(places)
            if places is not None
            else compress(range(len(new_files)), map(operator.is_not, old_files, new_files))
        )
        edited = [(old_files[i][1], new_files[i][1]) for i in changed if old_files[i][1] is not new_files[i][1]]
        if all(key(a) == key(b) for a, b in edited):
            # Files under one key pair up in order either way, and untouched files add no lines.
            return [line for a, b in sorted(edited, key=lambda pair: key(pair[1])) for line in _team_period(a, b)]
    befores: dict[tuple[str, str], list[TeamPeriod]] = defaultdict(list)
    afters: dict[tuple[str, str], list[TeamPeriod]] = defaultdict(list)
    for _, tp in old_files:
        befores[key(tp)].append(tp)
    for _, tp in new_files:
        afters[key(tp)].append(tp)
    lines: list[_Line] = []
    for k in sorted(befores.keys() | afters.keys()):
        before_files, after_files = befores[k], afters[k]
        if len(before_files) == len(after_files) and all(map(operator.is_, before_files, after_files)):
            continue  # the same parsed files: unchanged
        for before, after in _match(befores[k], afters[k], key):
            lines += _team_period(before, after)
    return lines


def _team_period(old: TeamPeriod | None, new: TeamPeriod | None) -> list[_Line]:
    either = new or old
    if either is None:
        return []
    subject = f"Team `{either.team}`, {either.period}:"
    if old is None:
        return [(f"{subject} plan added ({_counts(either)})", False)]
    if new is None:
        return [(f"{subject} plan removed", False)]
    return [
        *_objectives(subject, old, new),
        *_by_id(old.rocks, new.rocks, lambda rock: f"{subject} rock `{rock.id}`"),
        *_by_id(old.kpis, new.kpis, lambda kpi: f"{subject} KPI `{kpi.id}`", inner=_progress),
    ]


def _counts(tp: TeamPeriod) -> str:
    counts = [
        (len(tp.objectives), "objective"),
        (sum(len(o.key_results) for o in tp.objectives), "key result"),
        (len(tp.rocks), "rock"),
    ]
    if tp.kpis:
        counts.append((len(tp.kpis), "KPI"))
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)


def _objectives(subject: str, old: TeamPeriod, new: TeamPeriod) -> list[_Line]:
    """Objectives by id; key results by id across the file, so a key result can move between objectives.

    An added or dropped objective is one line: its own key results are not listed again.
    """

    pairs = list(zip(old.objectives, new.objectives, strict=False))
    if _same_ids(old.objectives, new.objectives) and all(
        a is b or _same_ids(a.key_results, b.key_results) for a, b in pairs
    ):  # the usual edit: every objective and key result where it was; only edited ones have lines
        lines: list[_Line] = []
        for old_o, new_o in pairs:
            if old_o is not new_o:
                lines += _fields(f"{subject} objective `{new_o.id}`", old_o, new_o)
                for before_kr, kr in zip(old_o.key_results, new_o.key_results, strict=True):
                    lines += _key_result(f"{subject} key result `{kr.id}`", before_kr, kr)
        return lines

    def flat(tp: TeamPeriod) -> list[tuple[str, KeyResult]]:
        return [(o.id, kr) for o in tp.objectives for kr in o.key_results]

    kr_pairs = _match(flat(old), flat(new), lambda entry: entry[1].id)
    was = iter([before for before, after in kr_pairs if after is not None])  # in the new file's order
    dropped: dict[str, list[KeyResult]] = defaultdict(list)
    for before, after in kr_pairs:
        if after is None and before is not None:
            dropped[before[0]].append(before[1])

    lines = []
    for before_o, after_o in _match(old.objectives, new.objectives, lambda o: o.id):
        if after_o is None:
            if before_o is not None:
                lines.append((f"{subject} objective `{before_o.id}` dropped{_dash(before_o)}", False))
            continue
        here = f"{subject} objective `{after_o.id}`"
        lines += (
            _fields(here, before_o, after_o) if before_o is not None else [(f"{here} added{_dash(after_o)}", False)]
        )
        for kr in after_o.key_results:
            kr_subject = f"{subject} key result `{kr.id}`"
            source = next(was)
            if source is None:
                if before_o is not None:
                    lines.append((f"{kr_subject} added{_dash(kr)}", False))
                continue
            if source[0] != after_o.id:
                lines.append((f"{kr_subject} moved to objective `{after_o.id}`", False))
            lines += _key_result(kr_subject, source[1], kr)
        if before_o is not None:
            lines += [(f"{subject} key result `{kr.id}` dropped{_dash(kr)}", False) for kr in dropped[before_o.id]]
    return lines


def _same_ids(old: Sequence[Objective | KeyResult], new: Sequence[Objective | KeyResult]) -> bool:
    return len(old) == len(new) and all(a.id == b.id for a, b in zip(old, new, strict=True))


def _key_result(subject: str, old: KeyResult, new: KeyResult) -> list[_Line]:
    if old is new or old == new:  # the same or equal models: nothing to word (the usual key result)
        return []
    return _fields(subject, old, new) + _progress(subject, old, new)


def _progress(subject: str, old: KeyResult | Kpi, new: KeyResult | Kpi) -> list[_Line]:
    """Check-ins matched by date (equal dates in order): all of them progress updates."""
    lines: list[_Line] = []
    for before, after in _match(old.check_ins, new.check_ins, lambda c: c.date):
        if before is None and after is not None:
            confidence = f" (confidence {_fmt(after.confidence)})" if after.confidence is not None else ""
            said = _fmt(after.value) if after.value is not None else f"note {_fmt(after.note)}"
            lines.append((f"{subject} check-in added {_fmt(after.date)}: {said}{confidence}", True))
        elif after is None and before is not None:
            lines.append((f"{subject} check-in {_fmt(before.date)} removed", True))
        elif before is not None and after is not None:
            lines += _fields(f"{subject} check-in {_fmt(after.date)}", before, after)
    return lines
