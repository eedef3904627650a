"""Check-ins as people write them: words on the command line, rows of a spreadsheet (CSV), or the
body of a submitted issue form. Each becomes an `Update`; what cannot be read is said with the
row or field it came from.

Numbers are read as people type them: `1,200` and `1 200` (thousands), `3,5` (a decimal comma,
as spreadsheets write it in many languages), `27.5%` for a value in percent. A confidence is 0
to 1, or a percentage (`70%`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs_northstar.checkin import Update
from mkdocs_northstar.dates import parse_day
from mkdocs_northstar.model import ROCK_STATUSES
from mkdocs_northstar.problems import did_you_mean

COLUMNS = ("id", "value", "confidence", "note", "date", "status")
"""The columns an import reads; any other column (the template's team, title, target...) is context."""

FORM_FIELDS = {
    "key result, kpi or rock": "id",
    "value": "value",
    "confidence": "confidence",
    "note": "note",
    "date": "date",
    "rock or milestone status": "status",
}
"""The shipped issue form's field labels (lower case) and the update's part each fills."""

_NO_RESPONSE = "_No response_"
"""What an issue form writes for a field left empty."""
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class UpdateError(ValueError):
    """Text that cannot be read as an update; the message says what was expected."""


def number(text: str, what: str = "value") -> float:
    """A number as a person types it: `42`, `3.5`, `1,200`, `3,5`, `27.5%` (27.5).

    Raises:
        UpdateError: the text is not a number.
    """
    plain = text.strip().removesuffix("%").strip()
    if _THOUSANDS.fullmatch(plain):
        plain = plain.replace(",", "").replace(" ", "")
    elif _DECIMAL_COMMA.fullmatch(plain):
        plain = plain.replace(",", ".")
    if not _NUMBER.fullmatch(plain):
        raise UpdateError(f"the {what} must be a number, such as 42 or 3.5; got {text.strip()!r}")
    value = float(plain)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def confidence(text: str) -> float:
    """A confidence: 0 to 1 (`0.7`), or a percentage (`70%`).

    Raises:
        UpdateError: the text is not a number.
    """
    share = number(text, "confidence")
    if text.strip().endswith("%"):
        share = round(share / 100, 6)
    return int(share) if share in (0, 1) else share


def status(text: str) -> str:
    """A rock's status (or `done`), as written or with spaces for hyphens (`On track`).

    Raises:
        UpdateError: it is not one of the statuses.
    """
    word = "-".join(text.strip().lower().replace("_", " ").split())
    if word not in ROCK_STATUSES:
        raise UpdateError(
            f"the status must be one of {', '.join(ROCK_STATUSES)}; got {text.strip()!r}"
            f"{did_you_mean(word, ROCK_STATUSES)}"
        )
    return word


def day(text: str) -> date:
    """A day written YYYY-MM-DD.

    Raises:
        UpdateError: it is not one.
    """
    try:
        return parse_day(text.strip())
    except ValueError as exc:
        raise UpdateError(f"the date: {exc}") from None


def update_from(parts: dict[str, str], source: str = "") -> Update:
    """An update from the text of its parts (`id`, `value`, `confidence`, `note`, `date`, `status`).

    Raises:
        UpdateError: a part cannot be read, or there is no id.
    """
    item = parts.get("id", "").strip()
    if not item:
        raise UpdateError("no id: name the key result, KPI or rock")
    value, share, when, said = (parts.get(k, "").strip() for k in ("value", "confidence", "date", "status"))
    return Update(
        id=item,
        value=number(value) if value else None,
        confidence=confidence(share) if share else None,
        note=parts.get("note", "").strip(),
        day=day(when) if when else None,
        status=status(said) if said else None,
        source=source,
    )


# --- a spreadsheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A spreadsheet's updates, the rows it left blank, and what could not be read, a line each."""

    updates: list[Update]
    blank: int
    errors: list[str]


def read_csv(path: Path, shown: str | None = None) -> Rows:
    """The updates in a CSV file saved by a spreadsheet: a header row naming at least `id`, and a
    row per update. Commas, semicolons or tabs between cells; UTF-8, with or without a byte-order
    mark. A row whose value, confidence, note and status are all empty is left out (the template
    lists every open item; owners fill in their own).

    Raises:
        OSError: the file cannot be read.
        UpdateError: it is not UTF-8, or has no `id` column.
    """
    name = shown or path.as_posix()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UpdateError(f"{name}: not UTF-8 text; save the spreadsheet as CSV UTF-8") from None
    rows = list(_rows(text))
    if not rows:
        raise UpdateError(f"{name}: empty; the first row names the columns, at least id and value")
    header = [cell.strip().lower() for cell in rows[0]]
    if "id" not in header:
        raise UpdateError(f"{name}:1: no 'id' column; the first row names the columns ({', '.join(COLUMNS)})")
    updates: list[Update] = []
    errors: list[str] = []
    blank = 0
    for number_, row in enumerate(rows[1:], 2):
        parts = {header[i]: _plain(cell) for i, cell in enumerate(row) if i < len(header) and header[i] in COLUMNS}
        if not any(parts.get(k, "").strip() for k in ("value", "confidence", "note", "status")):
            blank += 1
            continue
        try:
            updates.append(update_from(parts, f"{name}:{number_}"))
        except UpdateError as exc:
            errors.append(f"{name}:{number_}: {exc}")
    return Rows(updates, blank, errors)


def _rows(text: str) -> Iterator[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from (row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row))


def _plain(cell: str) -> str:
    """A cell as typed: the apostrophe a spreadsheet keeps before text that looks like a formula goes."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


# --- an issue form -----------------------------------------------------------------------------


_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def read_form(body: str, source: str = "the form") -> Update:
    """The update in a submitted issue form's body: a `### Label` heading per field, its answer
    below it (`_No response_` for one left empty).

    Raises:
        UpdateError: a field cannot be read, or the form names no key result.
    """
    headings = list(_HEADING.finditer(body))
    parts: dict[str, str] = {}
    for n, heading in enumerate(headings):
        end = headings[n + 1].start() if n + 1 < len(headings) else len(body)
        answer = body[heading.end() : end].strip()
        key = FORM_FIELDS.get(heading.group(1).strip().lower())
        if key is not None and answer != _NO_RESPONSE:
            parts[key] = answer
    try:
        return update_from(parts, source)
    except UpdateError as exc:
        raise UpdateError(f"{source}: {exc}") from None
