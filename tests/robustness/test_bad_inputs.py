"""`archival-ner run` on the worst inputs a user can hand it, one case each.

One run of the real CLI over a folder holding every case next to ordinary documents. Each case is
either processed correctly (its text is the normalized input, its spans line up with it) or listed
in rejected.jsonl with a one-line reason; the rest of the batch is processed either way, nothing
reaches the user as a traceback, and the exit code is 3 because something was rejected.
"""
from __future__ import annotations

import codecs
import os
import struct
import zlib
from dataclasses import dataclass

import pytest

from pipeline.io.documents import normalize_text

from .conftest import OUTPUTS, check_clean_stderr, check_record, read_jsonl, run_cli

ORDINARY = (
    "Telegram from the Ambassador in Korea (Muccio) to the Secretary of State\n"
    "Pusan, June 13, 1951—5 p. m.\n\n"
    "General Ridgway met Kim Il Sung's envoy at Kaesong. The Eighth Army proposes that talks begin on 10 July.\n"
)


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


DAMAGED_UTF8 = "Zhou Enlai — “Kim Il Sung” in Pyŏngyang, ".encode() + b"\xc3(" + " and Müller.".encode()
MIXED_SCRIPTS = (
    "Marshal Kim Il Sung (김일성) met Mao Zedong (毛泽东) and Zhou Enlai (周恩来) in Beijing;\n"
    "I. V. Stalin (И. В. Сталин) and A. Ya. Vyshinsky (А. Я. Вышинский) replied from Moscow on 13 June 1951.\n"
)
ASTRAL = "🎖️ General Peng Dehuai 𠀀 met Kim Il Sung 🇰🇵 in Pyongyang on 13 June 1951; 𝕬 Seoul 😀.\n"
NFD = "General Pyo\u0306ngyang-born Ri\u0301 met Zhou Enlai in Kaesong on 10 July 1951.\n"


@dataclass(frozen=True)
class Case:
    """A file in the input folder and what the run must do with it."""

    name: str  # path relative to the input folder; a doc_id is this without ".txt"
    data: bytes | None  # None: made by ``make`` (links, pipes)
    text: str | None = None  # processed: the text the record must carry
    encoding: str | None = None
    reason: str | None = None  # rejected: the reason rejected.jsonl must give

    @property
    def doc_id(self) -> str:
        return self.name[: -len(".txt")]


CASES = [
    Case("ordinary.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("empty.txt", b"", reason="empty file"),
    Case("whitespace.txt", " \t\r\n \n\u3000\n".encode(), reason="no text (whitespace only)"),
    Case("image.txt", png(), reason="binary content (not a text file)"),
    Case("damaged-utf8.txt", DAMAGED_UTF8, reason="undecodable text (invalid UTF-8 at byte 48)"),
    Case("cp1252.txt", "The “Chinese” proposal – rejected by the Premier’s office, said Mr. Müller…".encode("cp1252"),
         "The “Chinese” proposal – rejected by the Premier’s office, said Mr. Müller…", "cp1252"),
    Case("latin-1.txt", "Réunion à Genève: le général Müller et M. Lefèvre, déçus, sont partis à Zürich.".encode("latin-1"),
         "Réunion à Genève: le général Müller et M. Lefèvre, déçus, sont partis à Zürich.", "cp1252"),
    Case("utf-16-bom.txt", codecs.BOM_UTF16_LE + MIXED_SCRIPTS.encode("utf-16-le"), MIXED_SCRIPTS, "utf-16"),
    Case("utf-8-bom.txt", codecs.BOM_UTF8 + ORDINARY.encode(), ORDINARY, "utf-8-sig"),
    Case("crlf.txt", ORDINARY.replace("\n", "\r\n").encode(), ORDINARY, "utf-8"),
    Case("lone-cr.txt", ORDINARY.replace("\n", "\r").encode(), ORDINARY, "utf-8"),
    Case("mixed-scripts.txt", MIXED_SCRIPTS.encode(), MIXED_SCRIPTS, "utf-8"),
    Case("astral.txt", ASTRAL.encode(), ASTRAL, "utf-8"),
    Case("nfd.txt", NFD.encode(), normalize_text(NFD), "utf-8"),
    Case("name with spaces.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("Zhōu Ēnlái 周恩来 Сталин.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("-x.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("--out.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("sub/deeper/nested.txt", ORDINARY.encode(), ORDINARY, "utf-8"),
    Case("two\nlines.txt", b"", reason="empty file"),  # shown on one line all the same
    Case("broken-link.txt", None, reason="unreadable file (broken symbolic link)"),
    Case("link-loop.txt", None, reason="unreadable file (symbolic link loop)"),
    Case("pipe.txt", None, reason="not a regular file (named pipe)"),  # reading would wait forever
]
#: A file name that is not UTF-8: its doc_id cannot be written as JSON text, so it is rejected.
BAD_NAME = os.fsdecode(b"M\xfcller.txt")


def make(root, case: Case) -> None:
    path = root / case.name
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.data is not None:
        path.write_bytes(case.data)
    elif case.name == "broken-link.txt":
        os.symlink(root / "gone.txt", path)
    elif case.name == "link-loop.txt":
        os.symlink(path, path)
    elif case.name == "pipe.txt":
        os.mkfifo(path)


@pytest.fixture(scope="module")
def batch(tmp_path_factory, model):
    """One CLI run over every case, plus a directory link that loops back to the input folder."""
    root = tmp_path_factory.mktemp("bad") / "in"
    for case in CASES:
        make(root, case)
    os.symlink(root, root / "sub" / "loop")  # walking it would never end
    out = root.parent / "out"
    result = run_cli(root, "--out", out, model=model, timeout=300)
    records = {record["doc_id"]: record for record in read_jsonl(out / "predictions.jsonl")}
    rejected = {item["doc_id"]: item for item in read_jsonl(out / "rejected.jsonl")}
    return result, root, out, records, rejected


def test_the_run_finishes_with_exit_code_3_and_no_traceback(batch):
    result, *_ = batch
    assert result.returncode == 3, result.stderr
    check_clean_stderr(result.stderr)


def test_every_input_is_accounted_for_exactly_once(batch):
    result, root, out, records, rejected = batch
    processed = {case.doc_id for case in CASES if case.reason is None}
    refused = {case.doc_id for case in CASES if case.reason is not None}
    assert set(records) == processed  # the looping link added nothing
    assert set(rejected) == refused
    assert f"{len(processed)} documents" in result.stdout
    assert f"{len(refused)} rejected" in result.stdout
    assert set(os.listdir(out)) == OUTPUTS  # nothing named after a document


@pytest.mark.parametrize("case", [case for case in CASES if case.reason is None], ids=lambda case: case.name)
def test_processed_case(batch, case):
    *_, records, _ = batch
    record = records[case.doc_id]
    assert record["text"] == case.text
    assert record["meta"]["encoding"] == case.encoding
    check_record(record)


@pytest.mark.parametrize("case", [case for case in CASES if case.reason is not None], ids=lambda case: case.name.replace("\n", "\\n"))
def test_rejected_case(batch, case):
    result, root, *_, rejected = batch
    item = rejected[case.doc_id]
    assert item["reason"] == case.reason
    shown = str(root / case.name).replace("\n", "\\n")
    assert item["source"] == shown
    assert f"archival-ner: rejected {shown}: {case.reason}" in result.stderr.splitlines()


def test_a_file_name_that_is_not_utf8_is_rejected_and_shown_escaped(tmp_path, model):
    root = tmp_path / "in"
    root.mkdir()
    (root / "ordinary.txt").write_bytes(ORDINARY.encode())
    (root / BAD_NAME).write_bytes(ORDINARY.encode())
    result = run_cli(root, "--out", tmp_path / "out", model=model)
    check_clean_stderr(result.stderr)
    assert result.returncode == 3, result.stderr
    assert [record["doc_id"] for record in read_jsonl(tmp_path / "out" / "predictions.jsonl")] == ["ordinary"]
    (item,) = read_jsonl(tmp_path / "out" / "rejected.jsonl")
    assert item == {"source": f"{root}/M\\xfcller.txt", "doc_id": r"M\xfcller", "reason": "file name is not valid UTF-8 (rename it)"}
    assert f"archival-ner: rejected {root}/M\\xfcller.txt: file name is not valid UTF-8 (rename it)" in result.stderr.splitlines()


def test_spans_after_astral_characters_count_code_points(batch):
    *_, records, _ = batch
    record = records["astral"]
    places = {span["text"]: span["start"] for span in record["spans"] if span["label"] == "PLACE"}
    assert places.get("Pyongyang") == ASTRAL.index("Pyongyang")


def test_a_run_of_good_inputs_exits_0(tmp_path, model):
    root = tmp_path / "in"
    for case in CASES:
        if case.reason is None:
            make(root, case)
    result = run_cli(root, "--out", tmp_path / "out", model=model)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "out" / "rejected.jsonl").read_text(encoding="utf-8") == ""
