"""Period arithmetic for the analytics reports: days, weeks (Monday to Sunday, as ISO 8601 and Matomo count
them) and calendar months, in the store's timezone.

A report covers a ``Window``: the days ``first``..``last`` (inclusive, local dates) cut into buckets of one
period. Summaries read daily rollups and add them up per bucket here, in Python, so the SQL stays the same
on every engine (no ``date_trunc``/``strftime`` dialects).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from domain.errors import InvalidInput
from domain.validation import rule_error

Period = Literal["day", "week", "month"]
PERIODS: tuple[str, ...] = get_args(Period)
DEFAULT_LENGTH = 30
MAX_LENGTH = 366  # buckets one report may hold: a year of days, seven years of weeks, thirty of months
# Dates outside these are refused: far enough for any store, near enough that no arithmetic leaves year 1..9999.
FIRST_DATE, LAST_DATE = date(1970, 1, 1), date(2999, 12, 31)


def bucket_start(day: date, period: Period) -> date:
    """The first day of the bucket of ``period`` that holds ``day``."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def next_start(start: date, period: Period) -> date:
    """The first day of the bucket after the one starting on ``start``."""
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def shift(start: date, period: Period, count: int) -> date:
    """The first day of the bucket ``count`` buckets before the one starting on ``start``."""
    if period == "week":
        return start - timedelta(days=7 * count)
    if period == "month":
        months = start.year * 12 + (start.month - 1) - count
        return date(months // 12, months % 12 + 1, 1)
    return start - timedelta(days=count)


def label(start: date, period: Period) -> str:
    """A bucket's key in a report, as Matomo writes it: ``2026-03-06``, ``2026-03-02,2026-03-08``,
    ``2026-03``."""
    if period == "week":
        return f"{start.isoformat()},{(start + timedelta(days=6)).isoformat()}"
    if period == "month":
        return start.isoformat()[:7]
    return start.isoformat()


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """Today's date in the store's timezone."""
    return now.astimezone(zone).date()


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the local ``day`` begins (around a DST change, the first valid instant)."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """The local days ``first``..``last`` (inclusive), reported in buckets of ``period``."""

    period: Period
    first: date
    last: date

    @classmethod
    def ending(cls, last: date, period: Period, length: int) -> Window:
        """``length`` whole buckets, the last one holding ``last`` (cut at ``last``: no future days)."""
        return cls(period, shift(bucket_start(last, period), period, length - 1), last)

    def starts(self) -> Iterator[date]:
        """The first day of each bucket, oldest first."""
        start = bucket_start(self.first, self.period)
        while start <= self.last:
            yield start
            start = next_start(start, self.period)

    @property
    def buckets(self) -> int:
        """How many buckets the window touches (counted, not walked: a window is checked before it is used)."""
        if self.period == "week":
            return (bucket_start(self.last, "week") - bucket_start(self.first, "week")).days // 7 + 1
        if self.period == "month":
            return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return (self.last - self.first).days + 1

    def bucket_of(self, day: date) -> date:
        return bucket_start(day, self.period)

    def instants(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants ``[start, end)`` the window's local days cover."""
        return local_midnight(self.first, zone), local_midnight(self.last + timedelta(days=1), zone)


def month_start(day: date) -> date:
    return day.replace(day=1)


# --- input ---------------------------------------------------------------------------------------------


def read_date(value: Any) -> date | None:
    """A calendar date, ``YYYY-MM-DD`` only (no times, no week dates); empty means none."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise rule_error("date", "Must be a valid date (YYYY-MM-DD).") from None
    else:
        raise rule_error("date", "Must be a valid date (YYYY-MM-DD).")
    if not FIRST_DATE <= day <= LAST_DATE:
        first, last = FIRST_DATE.isoformat(), LAST_DATE.isoformat()
        raise rule_error("between", f"Must be between {first} and {last}.", min=first, max=last)
    return day


DateParam = Annotated[
    date | None,
    BeforeValidator(read_date),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
]


class DateRange(BaseModel):
    """``from``/``to``: local dates of the store, both included; ``from`` after ``to`` is refused."""

    model_config = ConfigDict(populate_by_name=True)

    from_: DateParam = Field(default=None, alias="from", description="The first day (YYYY-MM-DD), included.")
    to: DateParam = Field(default=None, description="The last day (YYYY-MM-DD), included.")

    @field_validator("to")
    @classmethod
    def _ordered(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if value is not None and start is not None and start > value:
            raise rule_error("after_or_equal", "The to field must be a date after or equal to from.", date="from")
        return value


class ReportRange(DateRange):
    """Which days a report covers, in buckets of ``period``: ``length`` periods ending today, or the days
    ``from``..``to`` (``length`` then only applies when one end is missing)."""

    period: Period = Field(default="day", description="day, week or month.")
    length: int = Field(
        default=DEFAULT_LENGTH, ge=1, le=MAX_LENGTH, description=f"How many periods (1 to {MAX_LENGTH})."
    )

    def window(self, today: date) -> Window:
        """The days this range names, given the store's today. ``InvalidInput`` when ``from``..``to`` holds more
        than ``MAX_LENGTH`` periods."""
        if self.from_ is None:
            return Window.ending(self.to or today, self.period, self.length)
        last = self.to or max(today, self.from_)
        window = Window(self.period, self.from_, last)
        if window.buckets > MAX_LENGTH:
            raise InvalidInput.field(
                "from",
                f"From {self.from_.isoformat()} to {last.isoformat()} spans more than {MAX_LENGTH} "
                f"{self.period}s; ask for a shorter range or a longer period.",
                rule="max_span",
                params={"max": MAX_LENGTH, "period": self.period},
            )
        return window
