"""Every area's models, imported so that ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

import domain.accounts.models
import domain.ai.models
import domain.catalog.models
import domain.content.analysis.models
import domain.content.models
import domain.jobs.models
import domain.store.models  # noqa: F401
from domain.base import Base

metadata = Base.metadata
