"""Problems as data, and the registry of every check code.

The core never prints or exits: it returns `Problem`s. The CLI formats them, the MkDocs adapter
logs them. Every code has a default severity and a one-line rationale, documented in
`docs/reference/checks.md` (a test keeps the two in step).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "notice"]
"""An error stops a build; a warning fails `--strict`; a notice never fails anything: it is said,
and the owners see it, but whether a plan publishes does not depend on it (date findings)."""


@dataclass(frozen=True, slots=True)
class Code:
    """A check: its code, short name, default severity and why it exists."""

    code: str
    name: str
    severity: Severity
    rationale: str
    configurable: bool = False
    dated: bool = False
    """It depends on the day the plan is judged at, not on what the files say: always a notice
    (or off), so that one late team never stops the company's site."""


_CODES = [
    # Reading files: always errors, since nothing sensible can be built from them.
    Code("NS100", "unreadable-file", "error", "A plan file must be readable UTF-8 text of sane size."),
    Code("NS101", "yaml-syntax", "error", "The file must be valid YAML."),
    Code("NS102", "empty-file", "error", "An empty plan file is almost always a mistake."),
    Code("NS103", "tab-indent", "error", "YAML indents with spaces; a tab changes the meaning silently."),
    Code("NS104", "duplicate-key", "error", "A repeated key silently overwrites the first one."),
    Code("NS105", "too-large", "error", "Alias bombs and absurd nesting must fail fast, not eat memory."),
    Code("NS106", "unsafe-tag", "error", "Plan files are data: no object construction, no custom tags."),
    Code("NS110", "unknown-key", "error", "A misspelt key would otherwise be ignored."),
    Code("NS111", "missing-key", "error", "Required fields make the plan readable by everyone."),
    Code("NS112", "bad-value", "error", "Values must have the documented type and range."),
    Code("NS113", "missing-file", "error", "The plan needs its strategy, company, people and teams."),
    Code("NS114", "unknown-file", "warning", "A file Northstar does not read is probably misnamed."),
    # Structure: errors, because pages and links are built from it.
    Code("NS201", "duplicate-id", "error", "Ids become URLs and link targets; they must be unique."),
    Code("NS202", "unknown-reference", "error", "A reference must name something declared in the plan."),
    Code("NS203", "team-cycle", "error", "Teams form a tree; a cycle has no top."),
    Code("NS204", "supports-cycle", "error", "Support must flow up towards the strategy, never in a circle."),
    Code("NS205", "one-owner", "error", "A key result everyone owns is a key result nobody owns."),
    Code("NS206", "baseline-is-target", "error", "A key result that asks for no change measures nothing."),
    Code("NS207", "unsafe-id", "error", "Ids become URLs: lower-case letters, digits and hyphens only."),
    Code("NS208", "period-overlap", "error", "Periods of the same level must not overlap."),
    Code("NS209", "period-outside", "error", "A quarter must lie inside its year."),
    Code("NS210", "duplicate-team-period", "error", "One team has one file of work per period."),
    Code("NS211", "period-order", "error", "A period cannot end before it starts."),
    Code("NS212", "supports-not-doing", "error", "Work must not serve something the strategy rules out."),
    Code("NS213", "value-and-check-ins", "error", "Progress comes from one source: `current` or check-ins."),
    Code("NS214", "team-roots", "error", "One team (the leadership team) sits at the top of the tree."),
    # The strategy/execution split: configurable lint rules.
    Code(
        "NS301",
        "no-trade-offs",
        "error",
        "A strategy without trade-offs is a wish list: say what you will NOT do.",
        configurable=True,
    ),
    Code(
        "NS302",
        "no-single-owner",
        "error",
        "Strategy is leader-owned, not crowdsourced: one person owns it (cannot be switched off).",
    ),
    Code(
        "NS303",
        "untraced-objective",
        "error",
        "Work that traces to no strategic choice is execution masquerading as strategy.",
        configurable=True,
    ),
    Code(
        "NS304",
        "execution-in-strategy",
        "warning",
        "Metrics and dated tasks are execution; they belong in team files, not the strategy.",
        configurable=True,
    ),
    Code(
        "NS305",
        "orphan-choice",
        "warning",
        "A strategic choice nobody works on this period is a choice in name only.",
        configurable=True,
    ),
    Code(
        "NS306",
        "too-many-objectives",
        "warning",
        "More than a handful of objectives means nothing is a priority.",
        configurable=True,
    ),
    Code(
        "NS307",
        "too-few-key-results",
        "warning",
        "One key result rarely captures an objective; two or more keep it honest.",
        configurable=True,
    ),
    Code(
        "NS308",
        "overloaded-owner",
        "warning",
        "A person owning too many key results at once will not move them all.",
        configurable=True,
    ),
    Code(
        "NS309",
        "stale-strategy",
        "notice",
        "Strategy changes rarely, but it must be reviewed at least yearly.",
        configurable=True,
        dated=True,
    ),
    Code(
        "NS310",
        "generic-statement",
        "warning",
        "A statement any competitor could sign is not a choice (a heuristic).",
        configurable=True,
    ),
    Code(
        "NS311",
        "stale-key-result",
        "notice",
        "A key result nobody has checked in on recently is not being managed.",
        configurable=True,
        dated=True,
    ),
    Code(
        "NS312",
        "date-outside-period",
        "warning",
        "A rock due outside its quarter, or a check-in dated before its quarter starts, is usually a typo.",
        configurable=True,
    ),
    Code(
        "NS313",
        "date-ahead",
        "notice",
        "A check-in or review dated after the day the plan is judged at is a typo, or the clock is wrong.",
        configurable=True,
        dated=True,
    ),
    Code(
        "NS314",
        "overdue-rock",
        "notice",
        "A rock past its due date and not done needs a decision: finish it, mark it missed or drop it.",
        configurable=True,
        dated=True,
    ),
    Code(
        "NS315",
        "decided-by-the-owner",
        "warning",
        "The strategy's owner decides its direction; everyone else gives inputs.",
        configurable=True,
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One finding, positioned in a file. Lines and columns count from 1 (0 when unknown)."""

    path: Path
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path.as_posix()}:{self.line}:{self.col}"
        return printable(f"{where}: {self.severity} {self.code} {self.message}")

    def relative_to(self, base: Path) -> Problem:
        """The same problem with its path relative to `base` (never an absolute local path in output).

        Other files its message names ("already used ... at <path>:4") become relative too.
        """
        try:
            rel = Path(os.path.relpath(self.path, base))
        except ValueError:  # another drive
            rel = self.path
        message = self.message.replace(base.as_posix().rstrip("/") + "/", "") if base.is_absolute() else self.message
        return Problem(rel, self.line, self.col, self.severity, self.code, message)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What the problem is, wherever an edit above it moved it: file, severity, code and message,
        without the line numbers the message names (`at plan/people.yml:4`)."""
        return (self.path.as_posix(), self.severity, self.code, _POSITIONS.sub("", self.message))


_POSITIONS = re.compile(r":\d+(?::\d+)?\b")


FORGING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters that can make a terminal or a page show what is not there: C0 and C1 controls but
newline and tab (a carriage return or an escape sequence repaints a line), and the bidirectional
overrides and isolates (they reorder what is shown)."""


def printable(text: str) -> str:
    """`text` with every `FORGING` character written as its escape (`\\x1b`, `\\u202e`)."""
    if FORGING.search(text) is None:
        return text
    return FORGING.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def problem(code: str, path: Path, pos: tuple[int, int], message: str) -> Problem:
    """A problem with the code's default severity."""
    return Problem(path, pos[0], pos[1], CODES[code].severity, code, message)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
