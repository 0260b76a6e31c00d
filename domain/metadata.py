"""Every area's models, imported so that ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

import domain.accounts.models
import domain.jobs.models  # noqa: F401
from domain.base import Base

metadata = Base.metadata
