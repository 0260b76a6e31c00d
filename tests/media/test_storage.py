"""Media storage: the same bytes are stored once (one row, one file), also when stored concurrently; only
images that decode are accepted as images; the local disk refuses keys that could leave its root."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from domain.catalog.models import Product
from domain.errors import InvalidInput, NotFound
from domain.media.models import MediaFile, ProductImage
from domain.media.ports import MediaMissing
from domain.media.service import MediaService
from workers.media.local import InvalidKey, LocalDiskStorage


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (32, 24), color: tuple[int, ...] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


async def count_rows(services, model) -> int:
    async with services.read() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def store_image(services, storage, workspace_id: str, data: bytes) -> MediaFile:
    async with services.unit_of_work() as uow:
        return await MediaService(uow.session, storage).store_image(workspace_id, data)


async def test_the_same_bytes_twice_are_one_row_and_one_file(services, workspace, tmp_path):
    storage = LocalDiskStorage(tmp_path / "media")
    data = image_bytes()
    first = await store_image(services, storage, workspace.workspace_id, data)
    second = await store_image(services, storage, workspace.workspace_id, data)
    assert first.id == second.id
    assert (first.content_type, first.width, first.height, first.size_bytes) == ("image/png", 32, 24, len(data))
    assert first.storage_key == f"{workspace.workspace_id}/{first.sha256}.png"
    assert await count_rows(services, MediaFile) == 1
    assert files_under(tmp_path / "media") == [tmp_path / "media" / first.storage_key]
    assert await storage.get(first.storage_key) == data


async def test_other_workspaces_and_other_bytes_are_rows_of_their_own(services, workspace, other_workspace, tmp_path):
    storage = LocalDiskStorage(tmp_path / "media")
    data = image_bytes()
    mine = await store_image(services, storage, workspace.workspace_id, data)
    theirs = await store_image(services, storage, other_workspace.workspace_id, data)
    other = await store_image(services, storage, workspace.workspace_id, image_bytes(color=(1, 2, 3)))
    assert len({mine.id, theirs.id, other.id}) == 3
    assert len(files_under(tmp_path / "media")) == 3
    async with services.read() as session:
        service = MediaService(session, storage)
        assert (await service.get(workspace.workspace_id, mine.id)).id == mine.id
        with pytest.raises(NotFound):
            await service.get(workspace.workspace_id, theirs.id)  # another workspace's file is not found
        assert await service.read(mine) == data


async def test_concurrent_stores_of_the_same_bytes_all_succeed_with_one_row(services, workspace, tmp_path):
    storage = LocalDiskStorage(tmp_path / "media")
    data = image_bytes("JPEG", (64, 64))
    rows = await asyncio.gather(*(store_image(services, storage, workspace.workspace_id, data) for _ in range(12)))
    assert len({row.id for row in rows}) == 1
    assert await count_rows(services, MediaFile) == 1
    # One file, and no temporary file left behind by the writes that raced it.
    assert [p.name for p in files_under(tmp_path / "media")] == [f"{rows[0].sha256}.jpg"]


async def test_the_unique_clash_of_a_concurrent_insert_gives_way_to_its_row(services, workspace, tmp_path):
    """Two transactions that both looked and found nothing: the later insert clashes on (workspace, sha256)
    and returns the earlier one's row instead of failing, inside its still-usable transaction."""
    storage = LocalDiskStorage(tmp_path / "media")
    data = image_bytes()
    async with services.unit_of_work() as uow:
        earlier = await MediaService(uow.session, storage).store(workspace.workspace_id, data, "image/png")
    async with services.unit_of_work() as uow:
        service = MediaService(uow.session, storage)
        duplicate = MediaFile(
            workspace_id=workspace.workspace_id,
            sha256=earlier.sha256,
            content_type="image/png",
            size_bytes=len(data),
            storage_key=earlier.storage_key,
        )
        kept = await service.repo.insert_or_existing(duplicate)
        assert kept.id == earlier.id
        await service.store(workspace.workspace_id, b"still usable", "text/plain")
    assert await count_rows(services, MediaFile) == 2


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
async def test_each_accepted_image_type_is_recorded_with_its_size(services, workspace, tmp_path, fmt, content_type):
    media = await store_image(services, LocalDiskStorage(tmp_path), workspace.workspace_id, image_bytes(fmt, (40, 30)))
    assert (media.content_type, media.width, media.height) == (content_type, 40, 30)


async def test_an_animated_gif_is_accepted_by_its_first_frame(services, workspace, tmp_path):
    frames = [Image.new("P", (20, 10), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    media = await store_image(services, LocalDiskStorage(tmp_path), workspace.workspace_id, out.getvalue())
    assert (media.content_type, media.width, media.height) == ("image/gif", 20, 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>not an image</body></html>", "not an image"),
        (b"", "empty"),
        (image_bytes()[:60], "cannot be decoded"),  # a PNG cut short
        (image_bytes("BMP"), "not an image in a supported format (PNG, JPEG, WebP or GIF)"),
        (image_bytes("TIFF"), "not an image in a supported format"),
    ],
    ids=["html", "empty", "truncated-png", "bmp", "tiff"],
)
async def test_what_is_not_an_accepted_image_is_refused_and_nothing_is_written(
    services, workspace, tmp_path, data, message
):
    storage = LocalDiskStorage(tmp_path / "media")
    with pytest.raises(InvalidInput) as refused:
        await store_image(services, storage, workspace.workspace_id, data)
    assert message in refused.value.message
    assert refused.value.field_errors[0].field == "image"
    assert await count_rows(services, MediaFile) == 0
    assert files_under(tmp_path / "media") == []


async def test_size_and_pixel_limits_are_enforced(services, workspace, tmp_path):
    storage = LocalDiskStorage(tmp_path)
    big = image_bytes(size=(300, 300))
    async with services.unit_of_work() as uow:
        service = MediaService(uow.session, storage, max_image_bytes=len(big) - 1, max_pixels=10_000)
        with pytest.raises(InvalidInput, match="at most"):
            await service.store_image(workspace.workspace_id, big)
        service.max_image_bytes = len(big)
        with pytest.raises(InvalidInput, match="at most 10,000 pixels"):
            await service.store_image(workspace.workspace_id, big, field="imageUrl")
        with pytest.raises(InvalidInput, match="not a media type"):
            await service.store(workspace.workspace_id, b"x", "not a type")
    assert await count_rows(services, MediaFile) == 0


async def test_product_images_are_kept_in_order_once_each(services, workspace, other_workspace, tmp_path):
    storage = LocalDiskStorage(tmp_path)
    async with services.unit_of_work() as uow:
        product = Product(workspace_id=workspace.workspace_id, slug="mug", title="Mug")
        uow.session.add(product)
        await uow.session.flush()
        service = MediaService(uow.session, storage)
        front = await service.store_image(workspace.workspace_id, image_bytes(color=(1, 1, 1)))
        back = await service.store_image(workspace.workspace_id, image_bytes(color=(2, 2, 2)))
        first = await service.add_product_image(workspace.workspace_id, product.id, front, "https://example.com/f.png")
        second = await service.add_product_image(workspace.workspace_id, product.id, back)
        again = await service.add_product_image(workspace.workspace_id, product.id, front)
        assert (first.position, second.position, again.id) == (0, 1, first.id)
        with pytest.raises(NotFound):
            await service.add_product_image(other_workspace.workspace_id, product.id, front)
        with pytest.raises(NotFound):
            await service.add_product_image(workspace.workspace_id, product.id + 1000, front)
        product_id = product.id
    async with services.read() as session:
        images = await MediaService(session, storage).product_images(workspace.workspace_id, [product_id, 999])
    assert list(images) == [product_id]
    assert [(image.position, media.id) for image, media in images[product_id]] == [(0, front.id), (1, back.id)]
    assert images[product_id][0][0].source_url == "https://example.com/f.png"
    assert await count_rows(services, ProductImage) == 2


# --- the local disk -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["../outside.png", "a/../../outside.png", "/etc/passwd", "a\\..\\b", "", "a//b", "./a", "a/.", "a\x00b", "x" * 600],
)
async def test_local_disk_refuses_keys_that_could_leave_its_root(tmp_path, key):
    storage = LocalDiskStorage(tmp_path / "root")
    for operation in (storage.put(key, b"data", "image/png"), storage.get(key), storage.delete(key)):
        with pytest.raises(InvalidKey):
            await operation
    assert not (tmp_path / "outside.png").exists()
    assert not (tmp_path / "root").exists() or files_under(tmp_path / "root") == []


async def test_local_disk_refuses_a_symlink_out_of_its_root(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "root" / "link")
    with pytest.raises(InvalidKey, match="outside"):
        await LocalDiskStorage(tmp_path / "root").put("link/file.png", b"data", "image/png")
    assert files_under(tmp_path / "elsewhere") == []


async def test_local_disk_replaces_whole_files_and_deletes_idempotently(tmp_path):
    storage = LocalDiskStorage(tmp_path)
    await storage.put("ws/a.bin", b"first", "application/octet-stream")
    await storage.put("ws/a.bin", b"second", "application/octet-stream")
    assert await storage.get("ws/a.bin") == b"second"
    assert [p.name for p in files_under(tmp_path)] == ["a.bin"]
    await storage.delete("ws/a.bin")
    await storage.delete("ws/a.bin")
    with pytest.raises(MediaMissing):
        await storage.get("ws/a.bin")
    with pytest.raises(MediaMissing):
        await storage.get("ws")  # a directory is no file
