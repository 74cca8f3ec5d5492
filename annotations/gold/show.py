# authoring aid: print the spans of one document as built by make_gold.py
import json, sys
from pathlib import Path
here = Path(__file__).resolve().parent
for split in ("dev", "test"):
    p = here / f"{split}.jsonl"
    if not p.exists():
        continue
    for line in p.open(encoding="utf-8"):
        d = json.loads(line)
        if d["doc_id"] in sys.argv[1:]:
            for s in d["spans"]:
                print(s["start"], s["label"], repr(s["text"][:70]), s["kb_id"] or "", s["value"] or "")
