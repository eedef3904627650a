"""Calendar arithmetic shared by the checks and the history, and the one clock every "today" comes from."""

from __future__ import annotations

import calendar
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
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
