"""The images a store row carries in its image slots (a category's banner and listing image, an article's
hero, listing and social images, the homepage page's hero, offer box and social images).

One row per filled slot, naming the stored media file and where the picture came from: the stock provider and
photographer (the document's ``custom_properties.attribution``), the image model, or the local rendering. The
row's id is the stable public address of the picture (``/store-media/<id>``); filling a slot again makes a new
row, so an address never starts showing another picture.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, JSONType, UTCDateTime, UUIDStr, new_uuid, utcnow


class StoreImage(Base):
    __tablename__ = "store_images"
    __table_args__ = (UniqueConstraint("workspace_id", "entity", "entity_id", "slot"),)

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_uuid)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    # category | article | page: no foreign key can span the three tables, so the public route serves a slot
    # only while its row still exists.
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    slot: Mapped[str] = mapped_column(String(20))
    media_id: Mapped[str] = mapped_column(ForeignKey("media_files.id", ondelete="RESTRICT"), index=True)
    # pexels | unsplash | pixabay | openai | gemini | rendered
    source: Mapped[str] = mapped_column(String(20))
    search_term: Mapped[str | None] = mapped_column(String(255), nullable=True)
    attribution: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
