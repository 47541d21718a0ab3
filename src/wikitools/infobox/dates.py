"""Dates and ages as Wikipedia's date templates display them, computed in Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DateStyle = Literal["dmy", "mdy"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_KEYS = {m.casefold(): i for i, m in enumerate(MONTHS, 1)}
_MONTH_KEYS.update({m[:3].casefold(): i for i, m in enumerate(MONTHS, 1)})
_MONTH_KEYS["sept"] = 9

_YES = frozenset({"y", "yes", "1", "true", "on"})


def is_yes(value: str | None) -> bool:
    """True for the values Wikipedia templates accept as "yes" (``y``, ``yes``, ``1`` …)."""
    return value is not None and value.strip().casefold() in _YES


def _days_in(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True, slots=True)
class Date:
    """A date that may lack its day or month (``{{birth date|1878}}``)."""

    year: int
    month: int | None = None
    day: int | None = None

    def format(self, style: DateStyle) -> str:
        """``18 December 1878`` (dmy) or ``December 18, 1878`` (mdy); partial dates shorter."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        if style == "dmy":
            return f"{self.day} {month} {self.year}"
        return f"{month} {self.day}, {self.year}"


def parse_month(text: str) -> int | None:
    """A month number from ``12``, ``December`` or ``Dec``; None when it is none of them."""
    text = text.strip().rstrip(".")
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTH_KEYS.get(text.casefold())


def _year(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"-?\d{1,4}", text):
        return int(text)
    return None


def date_from_parts(year: str, month: str = "", day: str = "") -> Date | None:
    """A :class:`Date` from template arguments; None when they don't form a real date."""
    y = _year(year)
    if y is None:
        return None
    if not month.strip():
        return Date(y) if not day.strip() else None
    m = parse_month(month)
    if m is None:
        return None
    if not day.strip():
        return Date(y, m)
    if not day.strip().isdigit():
        return None
    d = int(day)
    if not 1 <= d <= _days_in(y, m):
        return None
    return Date(y, m, d)


_ISO = re.compile(r"(-?\d{1,4})-(\d{1,2})(?:-(\d{1,2}))?")
_DMY = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{1,4})")
_MDY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{1,4})")
_MY = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{1,4})")


def parse_date_text(text: str) -> Date | None:
    """Parse ``1878-12-18``, ``18 December 1878``, ``December 18, 1878``, ``1878``."""
    text = text.strip()
    if m := _ISO.fullmatch(text):
        return date_from_parts(m.group(1), m.group(2), m.group(3) or "")
    if m := _DMY.fullmatch(text):
        return date_from_parts(m.group(3), m.group(2), m.group(1))
    if m := _MDY.fullmatch(text):
        return date_from_parts(m.group(3), m.group(1), m.group(2))
    if m := _MY.fullmatch(text):
        return date_from_parts(m.group(2), m.group(1))
    return date_from_parts(text)


def age_range(birth: Date, at: Date) -> tuple[int, int]:
    """The smallest and largest possible age at ``at`` (equal when both dates are full)."""
    years = at.year - birth.year
    if birth.month is None or at.month is None:
        return years - 1, years
    if birth.month != at.month:
        exact = years - (1 if at.month < birth.month else 0)
        return exact, exact
    if birth.day is None or at.day is None:
        return years - 1, years
    exact = years - (1 if at.day < birth.day else 0)
    return exact, exact


def format_age(low: int, high: int) -> str:
    """``63`` or ``62–63``."""
    return str(low) if low == high else f"{low}–{high}"


def age_expr(birth: Date) -> str:
    """A ``{{#expr:…}}`` giving the age today (ParserFunctions + core magic words only).

    A static number would go stale; this stays right whenever the page is rendered. The
    expression avoids ``<`` and ``>`` (mwparserfromhell would not see a template there):
    ``ceil(d/10000)`` is 1 when the birthday ``d`` days-of-year ahead is still to come.
    """
    year = "{{CURRENTYEAR}}"
    if birth.month is None:
        return f"{{{{#expr:{year}-{birth.year}-1}}}}–{{{{#expr:{year}-{birth.year}}}}}"
    if birth.day is None:
        ahead = f"ceil(({birth.month}-{{{{CURRENTMONTH}}}})/100)"
    else:
        today = "({{CURRENTMONTH}}*100+{{CURRENTDAY}})"
        ahead = f"ceil(({birth.month * 100 + birth.day}-{today})/10000)"
    return f"{{{{#expr:{year}-{birth.year}-{ahead}}}}}"
