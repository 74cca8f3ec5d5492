"""File names and folders: what a user types, what the run reads, and where it writes.

File names and doc_ids only ever name records; the run writes its four outputs into --out and
nowhere else, never reads them back as inputs, and refuses what it cannot read one line each.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .conftest import OUTPUTS, check_clean_stderr, check_record, read_jsonl, run_cli

TEXT = "General Ridgway met Kim Il Sung's envoy at Kaesong on 10 July 1951.\n"
#: Drops root's power to read what it has no permission for, so "unreadable" is real under root too.
DROP_DAC = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def tree(root) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.mark.parametrize("form", [("--", "-x.txt"), ("./-x.txt",)], ids=["double-dash", "dot-slash"])
def test_a_file_named_like_an_option_can_be_given_directly(tmp_path, model, form):
    (tmp_path / "-x.txt").write_text(TEXT, encoding="utf-8")
    result = run_cli("--out", "out", *form, model=model, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = read_jsonl(tmp_path / "out" / "predictions.jsonl")
    assert record["doc_id"] == "-x" and record["text"] == TEXT


def test_a_file_named_like_an_option_given_bare_is_a_usage_error_that_writes_nothing(tmp_path, model):
    (tmp_path / "-x.txt").write_text(TEXT, encoding="utf-8")
    result = run_cli("-x.txt", "--out", "out", model=model, cwd=tmp_path)
    assert result.returncode == 2
    assert "No such option" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_inside_the_input_folder_is_never_read_back(tmp_path, model):
    root = tmp_path / "in"
    (root / "letters").mkdir(parents=True)
    (root / "letters" / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "b.txt").write_text(TEXT, encoding="utf-8")
    out = root / "out"
    first = run_cli(root, "--out", out, model=model)
    assert first.returncode == 0, first.stderr
    assert not [name for name in tree(out) if name.lower().endswith(".txt")]
    predictions = (out / "predictions.jsonl").read_bytes()
    again = run_cli(root, "--out", out, model=model)
    assert again.returncode == 0, again.stderr
    assert "2 documents (2 unchanged, skipped)" in again.stdout
    assert [record["doc_id"] for record in read_jsonl(out / "predictions.jsonl")] == ["b", "letters/a"]
    assert (out / "predictions.jsonl").read_bytes() == predictions


def test_outputs_go_into_out_and_nowhere_else(tmp_path, model):
    root = tmp_path / "in"
    for name in ("..txt", "...txt", "predictions.jsonl.txt", "spans.csv.txt", "<img src=x onerror=alert(1)>.txt"):
        root.mkdir(exist_ok=True)
        (root / name).write_text(f"<script>alert(1)</script> {TEXT}", encoding="utf-8")
    before = tree(tmp_path)
    result = run_cli(root, "--out", tmp_path / "out", model=model)
    assert result.returncode == 0, result.stderr
    after = tree(tmp_path)
    assert {name: data for name, data in after.items() if not name.startswith("out/")} == before
    assert set(os.listdir(tmp_path / "out")) == OUTPUTS
    records = read_jsonl(tmp_path / "out" / "predictions.jsonl")
    assert sorted(record["doc_id"] for record in records) == [".", "..", "<img src=x onerror=alert(1)>", "predictions.jsonl", "spans.csv"]
    for record in records:
        check_record(record)
    preview = (tmp_path / "out" / "preview.html").read_text(encoding="utf-8")
    assert "<script>" not in preview and "<img src=x" not in preview  # names and text are escaped


def test_a_directory_link_loop_ends(tmp_path, model):
    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "doc.txt").write_text(TEXT, encoding="utf-8")
    os.symlink(root, root / "a" / "b" / "up")
    os.symlink(root / "a", root / "a" / "b" / "sideways")
    result = run_cli(root, "--out", tmp_path / "out", model=model, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [record["doc_id"] for record in read_jsonl(tmp_path / "out" / "predictions.jsonl")] == ["a/b/doc"]


def _permissions_apply() -> tuple[tuple[str, ...], str | None]:
    """The command prefix under which chmod 000 keeps a file from this test's user, or why none."""
    if os.geteuid() != 0:
        return (), None
    if shutil.which("setpriv") is None:
        return (), "running as root, and setpriv is not there to drop root's read-anything capability"
    probe = subprocess.run([*DROP_DAC, "true"], capture_output=True)
    if probe.returncode != 0:
        return (), f"running as root, and setpriv cannot drop capabilities here ({probe.stderr.decode().strip()})"
    return DROP_DAC, None


def test_files_and_folders_without_read_permission_are_rejected(tmp_path, model):
    prefix, skip = _permissions_apply()
    if skip:
        pytest.skip(skip)
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.txt").write_text(TEXT, encoding="utf-8")
    (root / "secret.txt").write_text(TEXT, encoding="utf-8")
    (root / "open.txt").write_text(TEXT, encoding="utf-8")
    (root / "secret.txt").chmod(0)
    (root / "locked").chmod(0)
    try:
        result = run_cli(root, "--out", tmp_path / "out", model=model, prefix=prefix)
    finally:
        (root / "locked").chmod(0o755)
    assert result.returncode == 3, result.stderr
    check_clean_stderr(result.stderr)
    assert [record["doc_id"] for record in read_jsonl(tmp_path / "out" / "predictions.jsonl")] == ["open"]
    rejected = {item["doc_id"]: item["reason"] for item in read_jsonl(tmp_path / "out" / "rejected.jsonl")}
    assert rejected == {"locked/": "unreadable directory (Permission denied)", "secret": "unreadable file (Permission denied)"}
    assert f"archival-ner: rejected {root / 'secret.txt'}: unreadable file (Permission denied)" in result.stderr.splitlines()


def test_a_folder_without_documents_is_one_clear_error(tmp_path, model):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.md").write_text(TEXT, encoding="utf-8")
    result = run_cli(tmp_path / "in", "--out", tmp_path / "out", model=model)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"archival-ner: error: no .txt documents found in {tmp_path / 'in'}"]
