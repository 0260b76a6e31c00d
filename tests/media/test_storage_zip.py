"""The export ZIP: exactly the entries given, in name order, byte-identical for the same entries, images
stored as they are, and names that could escape the extraction folder refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.media.zipper import UnsafeEntryName, build_zip

PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 100
JPEG = b"\xff\xd8\xff" + b"j" * 100
TEXT = b"title,price\n" * 200


def test_entries_are_written_in_name_order_and_read_back():
    built = build_zip([("shopify/b.jpg", JPEG), ("amazon/a.png", PNG), ("list.csv", TEXT)])
    archive = zipfile.ZipFile(io.BytesIO(built))
    assert archive.namelist() == ["amazon/a.png", "list.csv", "shopify/b.jpg"]
    assert archive.read("amazon/a.png") == PNG and archive.read("shopify/b.jpg") == JPEG
    assert archive.read("list.csv") == TEXT
    assert archive.testzip() is None
    kinds = {info.filename: info.compress_type for info in archive.infolist()}
    assert kinds == {
        "amazon/a.png": zipfile.ZIP_STORED,
        "shopify/b.jpg": zipfile.ZIP_STORED,
        "list.csv": zipfile.ZIP_DEFLATED,
    }


def test_the_same_entries_give_the_same_bytes_in_any_order():
    entries = [("amazon/a.png", PNG), ("etsy/c.jpg", JPEG)]
    assert build_zip(entries) == build_zip(list(reversed(entries)))
    assert build_zip(entries) != build_zip([("amazon/a.png", PNG), ("etsy/c.jpg", JPEG + b"!")])


def test_an_empty_archive_is_a_valid_zip():
    assert zipfile.ZipFile(io.BytesIO(build_zip([]))).namelist() == []


@pytest.mark.parametrize(
    "name",
    [
        "../evil.png",
        "amazon/../../evil.png",
        "/etc/passwd",
        "C:/evil.png",
        "a\\b.png",
        "",
        "a//b.png",
        "./a.png",
        "a\nb",
    ],
)
def test_names_that_could_escape_the_folder_are_refused(name):
    with pytest.raises(UnsafeEntryName):
        build_zip([(name, PNG)])


def test_a_name_given_twice_is_refused():
    with pytest.raises(UnsafeEntryName, match="more than once"):
        build_zip([("a.png", PNG), ("a.png", JPEG)])
