"""How a benchmark reports its result: as JSON on standard output, and in a file when asked."""
from __future__ import annotations

import json
from pathlib import Path


def emit(result: dict, path: Path | None) -> None:
    text = json.dumps(result, indent=2)
    print(text)
    if path:
        path.write_text(text + "\n", encoding="utf-8")
