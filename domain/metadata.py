"""Every area's models, imported so that ``Base.metadata`` is complete (for Alembic and tests)."""

from __future__ import annotations

import domain.accounts.models
import domain.ai.models
import domain.analytics.models
import domain.catalog.models
import domain.content.analysis.models
import domain.content.models
import domain.jobs.models
import domain.listing.models
import domain.mail.models
import domain.marketing.models
import domain.media.models
import domain.merchants.models
import domain.spaces.models
import domain.store.ai_ops.models
import domain.store.image_models
import domain.store.models  # noqa: F401
from domain.base import Base

metadata = Base.metadata
