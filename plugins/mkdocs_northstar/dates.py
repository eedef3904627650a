"""Calendar arithmetic shared by the checks and the history, and the one clock every "today" comes from."""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
NORTHSTAR_AS_OF = "NORTHSTAR_AS_OF"
"""The reproducible-builds variable: a build's time, in whole seconds since 1970-01-01 UTC."""


def parse_day(value: object) -> date:
    """A day written YYYY-MM-DD (or already a date, as YAML reads an unquoted one).

    Raises:
        ValueError: with a message that says what was expected.
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}") from None


def pinned_day(environ: Mapping[str, str] = os.environ) -> date | None:
    """The day `NORTHSTAR_AS_OF` names: a run told to judge the plan at that day, whatever its last
    commit (the scheduled weekly build, whose "this week" must be this week). None when unset.

    Raises:
        ValueError: it is set but is not a day written YYYY-MM-DD.
    """
    value = environ.get(NORTHSTAR_AS_OF, "").strip()
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise ValueError(f"{NORTHSTAR_AS_OF}: {exc}") from None


def today(environ: Mapping[str, str] = os.environ) -> date:
    """The day a run is judged at when nothing more precise says so.

    Callers try the explicit day first (the plugin's `as_of`, the CLI's `--as-of`) and the plan's
    last commit; this is what remains: the UTC day of `SOURCE_DATE_EPOCH` when it is set, so a
    reproducible build never reads the clock, else the wall clock's local day.

    Raises:
        ValueError: `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds in the calendar.
    """
    epoch = environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return datetime.now(UTC).astimezone().date()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        msg = (
            f"{SOURCE_DATE_EPOCH} must be a whole number of seconds since 1970-01-01 UTC "
            f"(for example the commit's time, `git log -1 --format=%ct`), got {epoch!r}"
        )
        raise ValueError(msg) from None


def add_days(day: date, days: int) -> date:
    """The day `days` later (earlier when negative), held at the calendar's ends (`stale_days: 999999`)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative); the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not date.min.year <= year <= date.max.year:  # past the calendar's ends (a review dated 9999)
        return date.max if months > 0 else date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def share_elapsed(start: date, end: date, day: date, *, after_days: int = 0) -> float:
    """How much of the period from `start` to `end` (both counted) has passed by the end of `day`,
    0 to 1, counting from `after_days` days in: 0 before then, 1 from `end` on."""
    if day >= end:
        return 1.0
    days = (end - start).days + 1 - after_days
    elapsed = (day - start).days + 1 - after_days
    return 0.0 if days <= 0 or elapsed <= 0 else min(1.0, elapsed / days)


@dataclass(frozen=True)
class Span:
    """A named run of days, both ends counted: an ISO week (`2026-W47`, Monday to Sunday) or a
    calendar month (`2026-11`)."""

    id: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def week_of(day: date) -> Span:
    """The ISO week that holds `day`."""
    year, week, weekday = day.isocalendar()
    start = day - timedelta(days=weekday - 1)
    return Span(f"{year}-W{week:02d}", start, start + timedelta(days=6))


def month_of(day: date) -> Span:
    """The calendar month that holds `day`."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Span(f"{day.year:04d}-{day.month:02d}", day.replace(day=1), day.replace(day=last))


_WEEK = re.compile(r"(\d{4})-[Ww](\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_week(value: str) -> Span:
    """`2026-W47` (or `2026-w47`) as its ISO week.

    Raises:
        ValueError: not a week of that form, or a week the year does not have.
    """
    match = _WEEK.fullmatch(value.strip())
    try:
        if match is None:
            raise ValueError
        return week_of(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1))
    except ValueError:
        raise ValueError(f"expected an ISO week such as 2026-W47, got {value!r}") from None


def parse_month(value: str) -> Span:
    """`2026-11` as its calendar month.

    Raises:
        ValueError: not a month of that form.
    """
    match = _MONTH.fullmatch(value.strip())
    try:
        if match is None:
            raise ValueError
        return month_of(date(int(match.group(1)), int(match.group(2)), 1))
    except ValueError:
        raise ValueError(f"expected a month such as 2026-11, got {value!r}") from None
