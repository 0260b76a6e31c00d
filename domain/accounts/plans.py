"""Plans: plan name -> subscription credits granted each month (``SHOPWRIGHT_PLANS``, handed down by the
composition root as ``AppServices.plans``), and the calendar of monthly renewals."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from datetime import datetime

from domain.errors import DomainError, InvalidInput

DEFAULT_PLANS: Mapping[str, int] = {"free": 0, "pro": 500, "growth": 2000}
PLAN_NAME_MAX = 20  # workspaces.plan
MAX_MONTHLY = 1_000_000_000


class UnknownPlan(DomainError, status=500, code="unknown_plan"):
    """A workspace's plan is not among the configured plans (the configuration changed under it)."""


class Plans(Mapping[str, int]):
    """Plan name -> credits granted each month. ``ValueError`` for a table that cannot work."""

    def __init__(self, monthly: Mapping[str, int] | None = None) -> None:
        table = dict(DEFAULT_PLANS if monthly is None else monthly)
        if not table:
            raise ValueError("at least one plan is needed")
        for name, credits in table.items():
            if not isinstance(name, str) or not name.strip() or name != name.strip() or len(name) > PLAN_NAME_MAX:
                raise ValueError(f"plan names are 1 to {PLAN_NAME_MAX} characters without surrounding spaces: {name!r}")
            if isinstance(credits, bool) or not isinstance(credits, int) or not 0 <= credits <= MAX_MONTHLY:
                raise ValueError(f"plan {name!r}: monthly credits must be a whole number from 0 to {MAX_MONTHLY}")
        self._monthly = table

    @classmethod
    def of(cls, plans: Mapping[str, int] | None) -> Plans | None:
        return plans if plans is None or isinstance(plans, Plans) else cls(plans)

    def __getitem__(self, plan: str) -> int:
        return self._monthly[plan]

    def __iter__(self) -> Iterator[str]:
        return iter(self._monthly)

    def __len__(self) -> int:
        return len(self._monthly)

    def __repr__(self) -> str:
        return f"Plans({self._monthly!r})"

    def monthly(self, plan: str) -> int:
        """The plan's monthly credits; ``UnknownPlan`` for a workspace whose plan is no longer configured."""
        try:
            return self._monthly[plan]
        except KeyError:
            raise UnknownPlan(
                f"The workspace's plan '{plan}' is not among the configured plans ({', '.join(self)}): "
                "configure it again or move the workspace to one of them."
            ) from None

    def check(self, plan: str) -> str:
        """A plan a new workspace may take; ``InvalidInput`` on ``plan`` otherwise."""
        if plan not in self._monthly:
            raise InvalidInput.field(
                "plan",
                f"Unknown plan '{plan}'. Use one of: {', '.join(self)}.",
                rule="in",
                params={"values": list(self)},
            )
        return plan


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` calendar months on, the day clamped to the month's length (31 Jan + 1: 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def next_renewal(due: datetime, now: datetime) -> datetime:
    """The first monthly renewal date after ``now`` of a subscription that was due at ``due`` (months in which
    nobody used the workspace are skipped: their credits would have expired unused anyway)."""
    months = 1
    while add_months(due, months) <= now:
        months += 1
    return add_months(due, months)
