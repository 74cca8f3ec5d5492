"""Small builders for the doccano tests: predictions documents written by hand in the schema."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


def prediction(doc_id: str, text: str, spans: list[tuple[str, str, str]], **meta) -> dict:
    """A document in the predictions schema; spans are (text, label, rule), found left to right."""
    out, cursor = [], {}
    for surface, label, rule in spans:
        start = text.index(surface, cursor.get(surface, 0))
        cursor[surface] = start + 1
        out.append({"start": start, "end": start + len(surface), "label": label, "text": surface,
                    "kb_id": None, "value": None, "rule": rule})
    return {
        "doc_id": doc_id, "text": text, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "meta": {"source": f"corpus/{doc_id}.txt", "encoding": "utf-8", "document_date": None, **meta},
        "spans": out, "pipeline": {"name": "archival_ner", "version": "0.1.0"},
    }


def write_predictions(folder: Path, documents: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "predictions.jsonl").open("w", encoding="utf-8") as out:
        for doc in documents:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return folder


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
