import codecs
import hashlib
import os
import random

import pytest

from pipeline.errors import InputError
from pipeline.io import documents
from pipeline.io.documents import (
    Document,
    Rejected,
    Source,
    decode,
    display_path,
    find_sources,
    normalize_text,
    read_document,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
DAMAGED_PREFIX = "Zhou Enlai — “Kim Il Sung” in Pyŏngyang, ".encode()  # 48 bytes
_rng = random.Random(7)
HIGH_NOISE = bytes(_rng.randrange(0x80, 0x100) for _ in range(3000))


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
        (codecs.BOM_UTF16_BE + "金日成 Kim".encode("utf-16-be"), "金日成 Kim", "utf-16"),
        (codecs.BOM_UTF32_LE + "UTF-32 𠀀".encode("utf-32-le"), "UTF-32 𠀀", "utf-32"),
        ("No BOM, UTF-16 all the same".encode("utf-16-le"), "No BOM, UTF-16 all the same", "utf-16-le"),
        ("No BOM, UTF-16 all the same".encode("utf-16-be"), "No BOM, UTF-16 all the same", "utf-16-be"),
    ],
)
def test_decode(data, text, encoding):
    assert decode(data) == (text, encoding)


# Legacy encodings: detected, and Western European text read as cp1252 (not a look-alike such as
# cp1250, which would turn "à" into "ŕ").
@pytest.mark.parametrize(
    "text, codec, encoding",
    [
        ("The “Chinese” proposal was rejected by the Premier’s office, said Mr. Müller.", "cp1252", "cp1252"),
        ("Réunion à Genève: le général Müller et M. Lefèvre, déçus, sont partis à Zürich.", "latin-1", "cp1252"),
        ("Müller", "latin-1", "cp1252"),
        ("Москва, 13 июня 1951 г. Товарищу Сталину. Ким Ир Сен и Пэн Дэхуай", "cp1251", "cp1251"),
        ("毛泽东致斯大林电报，一九五一年六月十三日。高岗和金日成同志", "gbk", "gb18030"),
        ("김일성 동지에게, 1951년 6월 13일 평양", "euc-kr", "cp949"),
    ],
)
def test_legacy_encoding_is_detected_and_recorded(text, codec, encoding):
    assert decode(text.encode(codec)) == (text, encoding)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary content"),
        (b"abc\x00def", "binary content"),
        (b"text\x01\x02\x03\x04 and more", "binary content (control characters in the text)"),
        # damaged UTF-8 (well-formed sequences around a bad byte) is not taken for cp1252
        (DAMAGED_PREFIX + b"\xc3(" + " Müller".encode(), "invalid UTF-8 at byte 48"),
        ("Kim Il Sung 김일성".encode()[:-1], "invalid UTF-8 at byte 18"),  # a truncated last character
        (codecs.BOM_UTF8 + b"ab\xffcd", "invalid UTF-8 at byte 5"),  # offsets count the BOM
        (codecs.BOM_UTF16_LE + "Kim".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"), "invalid UTF-16-LE at byte 8"),
        (HIGH_NOISE, "invalid UTF-8 at byte 5, and no other encoding fits"),  # bytes 0-4 happen to be UTF-8
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


def test_unreadable_files_are_rejected_with_the_reason(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait forever
    os.mkdir(tmp_path / "folder.txt")
    reasons = {s.doc_id: read_document(s).reason for s in find_sources([tmp_path])}
    assert reasons == {
        "a": "unreadable file (symbolic link loop)",
        "b": "unreadable file (symbolic link loop)",
        "broken": "unreadable file (broken symbolic link)",
        "pipe": "not a regular file (named pipe)",
    }
    assert read_document(Source("folder", tmp_path / "folder.txt")).reason == "not a regular file (directory)"


def test_links_and_pipes_given_directly_are_inputs_too(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    sources = find_sources([tmp_path / "broken.txt", tmp_path / "pipe.txt"])
    assert [read_document(s).reason for s in sources] == ["unreadable file (broken symbolic link)", "not a regular file (named pipe)"]


@pytest.mark.skipif(IS_ROOT, reason="root reads files and lists directories whatever their mode")
def test_files_and_directories_without_permission_are_rejected(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("B", encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    (tmp_path / "secret.txt").chmod(0)
    try:
        reasons = {s.doc_id: read_document(s).reason for s in find_sources([tmp_path])}
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert reasons == {"locked/": "unreadable directory (Permission denied)", "secret": "unreadable file (Permission denied)"}


def test_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    (source,) = find_sources([path])
    assert read_document(source).reason == "too large to read as one document (11 bytes; the limit is 10): split it"


def test_file_name_that_is_not_utf8_is_rejected_and_shown_escaped(tmp_path):
    name = os.fsdecode(b"M\xfcller.txt")
    (tmp_path / name).write_text("Text", encoding="utf-8")
    (source,) = find_sources([tmp_path])
    result = read_document(source)
    assert result.reason == "file name is not valid UTF-8 (rename it)"
    assert result.doc_id == "M\\xfcller" and result.source.endswith("M\\xfcller.txt")
    result.source.encode("utf-8")  # JSON and the terminal can carry it


def test_display_path_is_one_line():
    assert display_path("in/two\nlines.txt") == "in/two\\nlines.txt"
    assert display_path("in/Zhōu Ēnlái.txt") == "in/Zhōu Ēnlái.txt"


def test_no_documents_is_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    with pytest.raises(InputError, match="no .txt documents found in"):
        find_sources([tmp_path])


def test_two_links_to_one_directory_give_the_same_ids_every_time(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("A", encoding="utf-8")
    os.symlink(tmp_path / "real", tmp_path / "b-link")
    os.symlink(tmp_path / "real", tmp_path / "a-link")
    assert [s.doc_id for s in find_sources([tmp_path])] == ["a-link/a"]


def test_input_errors_show_paths_on_one_line(tmp_path):
    (tmp_path / "x\ny").mkdir()
    (tmp_path / "x\ny" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A", encoding="utf-8")
    with pytest.raises(InputError) as error:
        find_sources([tmp_path / "x\ny", tmp_path / "a.txt"])
    assert "\n" not in str(error.value) and "x\\ny" in str(error.value)
