"""Calendar arithmetic shared by the checks and the history."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative); the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not date.min.year <= year <= date.max.year:  # past the calendar's ends (a review dated 9999)
        return date.max if months > 0 else date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
