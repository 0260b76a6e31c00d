"""The store's content, users and settings: one module per resource, merged into ``StoreQuery`` and
``StoreMutation`` (``schema.store.store``)."""

from __future__ import annotations

from schema.store.store import StoreMutation, StoreQuery

__all__ = ["StoreMutation", "StoreQuery"]
