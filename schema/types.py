"""The resolver ``info`` type every schema module uses."""

from __future__ import annotations

import strawberry

from resolvers.graphql import Context

Info = strawberry.Info[Context, None]
