import codecs
import hashlib
import os

import pytest

from pipeline.errors import InputError
from pipeline.io.documents import Document, Rejected, decode, find_sources, normalize_text, read_document


def test_doc_ids_are_relative_posix_paths_without_suffix(tmp_path):
    (tmp_path / "corpus" / "sub dir").mkdir(parents=True)
    (tmp_path / "corpus" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "corpus" / "sub dir" / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "corpus" / "notes.md").write_text("not a document", encoding="utf-8")
    (tmp_path / "single.txt").write_text("C", encoding="utf-8")
    sources = find_sources([tmp_path / "corpus", tmp_path / "single.txt"])
    assert [s.doc_id for s in sources] == ["a", "sub dir/b", "single"]


def test_duplicate_doc_ids_are_refused_before_any_work(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate doc_id 'a'"):
        find_sources([tmp_path / "x", tmp_path / "a.txt"])


def test_missing_input_is_named(tmp_path):
    with pytest.raises(InputError, match="input not found: .*nope"):
        find_sources([tmp_path / "nope"])


def test_directory_symlink_loop_terminates(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("A", encoding="utf-8")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    assert [s.doc_id for s in find_sources([tmp_path / "d"])] == ["a"]


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Plain UTF-8 — Zhou".encode("utf-8"), "Plain UTF-8 — Zhou", "utf-8"),
        (codecs.BOM_UTF8 + "With BOM".encode("utf-8"), "With BOM", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "UTF-16 text".encode("utf-16-le"), "UTF-16 text", "utf-16"),
    ],
)
def test_decode(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_legacy_encoding_is_detected_and_recorded():
    data = "The “Chinese” proposal was rejected by the Premier’s office, said Mr. Müller.".encode("cp1252")
    text, encoding = decode(data)
    assert "“Chinese”" in text and "Müller" in text
    assert encoding not in {"utf-8", "utf-8-sig"}  # the detected legacy encoding is recorded


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary content"),
        (b"abc\x00def", "binary content"),
    ],
)
def test_rejections(data, reason):
    assert reason in decode(data).reason


def test_normalization_keeps_everything_but_newlines_and_composition():
    raw = "  Line one\r\nLine two\rLine three  \n\n[bracket]  e\u0301"
    assert normalize_text(raw) == "  Line one\nLine two\nLine three  \n\n[bracket]  \u00e9"


def test_read_document_rejects_whitespace_only(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n", encoding="utf-8")
    (source,) = find_sources([path])
    result = read_document(source)
    assert isinstance(result, Rejected) and "whitespace only" in result.reason


def test_read_document_records_sha256(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"Hello\r\nworld")
    (source,) = find_sources([path])
    document = read_document(source)
    assert isinstance(document, Document)
    assert document.text == "Hello\nworld"
    assert document.sha256 == hashlib.sha256(b"Hello\nworld").hexdigest()
