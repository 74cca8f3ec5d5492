#!/usr/bin/env python3
"""Build the project's gold set (dev.jsonl / test.jsonl) from hand-written sources.

Source files: annotations/gold/source/<doc_id>.tsv, one span per line, tab-separated:

    LABEL <TAB> surface text <TAB> occurrence <TAB> kb_id <TAB> value

- LABEL: PERSON, PLACE, DATE, MILITARY_UNIT or PROPOSAL.
- surface text: the exact characters of the span as they stand in the document text.
- occurrence:
    N         the N-th whole-token occurrence of the surface in the text, counting from 1 at the
              start (whole-token: not preceded or followed by a letter or digit);
    *         every whole-token occurrence (occurrences lying inside a PERSON/PLACE/DATE/
              MILITARY_UNIT span given on another line of the same file are skipped);
    @context  the surface inside the context string, which must occur exactly once in the text
              (the first occurrence of the surface inside the context is taken; use "@2@context"
              for its second occurrence inside the context).
- kb_id: canonical name (PERSON and PLACE only), "-" or empty for none.
- value: ISO date for DATE, "-" or empty for none.
Lines starting with "#" and blank lines are ignored.

The document text is the corpus file read as UTF-8 (BOM dropped), NFC-normalized, with "\\r\\n"
and "\\r" turned into "\\n"; nothing else. The script fails loudly (file:line) when a surface or
context is not found or is ambiguous, and validates every span. Stdlib only.

Usage: python3 annotations/gold/make_gold.py
"""
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT / "corpus"
SOURCE = HERE / "source"
LABELS = ("PERSON", "PLACE", "DATE", "MILITARY_UNIT", "PROPOSAL")
FLAT = {"PERSON", "PLACE", "DATE", "MILITARY_UNIT"}
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
BRACKETS = set("[]")


class GoldError(Exception):
    pass


def read_text(path):
    raw = path.read_bytes().decode("utf-8")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    text = unicodedata.normalize("NFC", raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_of(doc_id):
    return "test" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def is_word(ch):
    return ch.isalnum()


def whole_token(text, start, end):
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    ok_left = not (before and is_word(before) and is_word(text[start]))
    ok_right = not (after and is_word(after) and is_word(text[end - 1]))
    return ok_left and ok_right


def occurrences(text, surface, lo=0, hi=None):
    hi = len(text) if hi is None else hi
    out, i = [], text.find(surface, lo, hi)
    while i != -1:
        if whole_token(text, i, i + len(surface)):
            out.append(i)
        i = text.find(surface, i + 1, hi)
    return out


def none_if_empty(v):
    v = (v or "").strip()
    return None if v in ("", "-") else v


def load_metadata():
    meta = {}
    for line in (CORPUS / "metadata.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            meta[rec["doc_id"]] = rec
    return meta


def build_doc(src, meta):
    doc_id = src.stem
    corpus_file = CORPUS / f"{doc_id}.txt"
    if not corpus_file.exists():
        raise GoldError(f"{src}: no corpus file {corpus_file}")
    text = read_text(corpus_file)
    date_when = (meta.get(doc_id) or {}).get("date_when") or ""
    if not re.match(r"^\d{4}-\d{2}-\d{2}", date_when):
        raise GoldError(f"{src}: no document date in metadata")
    rows = []
    for lineno, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        while len(cols) < 5:
            cols.append("")
        if len(cols) > 5:
            raise GoldError(f"{src}:{lineno}: more than 5 tab-separated fields")
        label, surface, occ, kb_id, value = cols[0].strip(), cols[1], cols[2].strip(), none_if_empty(cols[3]), none_if_empty(cols[4])
        where = f"{src.name}:{lineno}"
        if label not in LABELS:
            raise GoldError(f"{where}: unknown label {label!r}")
        if not surface or surface != surface.strip():
            raise GoldError(f"{where}: empty surface or surface with outer whitespace {surface!r}")
        rows.append((where, label, surface, occ, kb_id, value))

    spans = []

    def add(where, label, surface, start, kb_id, value):
        spans.append({"start": start, "end": start + len(surface), "label": label, "text": surface,
                      "kb_id": kb_id, "value": value, "rule": "manual", "_where": where})

    # explicit positions first, then "*" lines (which skip occurrences inside other flat spans)
    for where, label, surface, occ, kb_id, value in rows:
        if occ == "*":
            continue
        if occ.startswith("@"):
            nth, ctx = 1, occ[1:]
            m = re.match(r"^(\d+)@(.*)$", ctx, re.S)
            if m:
                nth, ctx = int(m.group(1)), m.group(2)
            hits = [m.start() for m in re.finditer(re.escape(ctx), text)]
            if len(hits) != 1:
                raise GoldError(f"{where}: context {ctx!r} found {len(hits)} times (must be exactly once)")
            c0 = hits[0]
            inner, i = [], text.find(surface, c0, c0 + len(ctx))
            while i != -1:
                inner.append(i)
                i = text.find(surface, i + 1, c0 + len(ctx))
            if len(inner) < nth:
                raise GoldError(f"{where}: surface {surface!r} not found (x{nth}) inside context {ctx!r}")
            add(where, label, surface, inner[nth - 1], kb_id, value)
        elif occ.isdigit() and int(occ) >= 1:
            hits = occurrences(text, surface)
            if len(hits) < int(occ):
                raise GoldError(f"{where}: surface {surface!r} has {len(hits)} whole-token occurrence(s), asked for #{occ}")
            add(where, label, surface, hits[int(occ) - 1], kb_id, value)
        else:
            raise GoldError(f"{where}: bad occurrence field {occ!r} (N, * or @context)")
    # "*" lines, longest surface first, so that "Korea" skips the inside of "North Korea"
    fixed_flat = [(s["start"], s["end"]) for s in spans if s["label"] in FLAT]
    for where, label, surface, occ, kb_id, value in sorted(rows, key=lambda r: -len(r[2])):
        if occ != "*":
            continue
        hits = occurrences(text, surface)
        hits = [h for h in hits if not any(a <= h and h + len(surface) <= b and (a, b) != (h, h + len(surface))
                                           for a, b in fixed_flat)]
        if not hits:
            raise GoldError(f"{where}: surface {surface!r} (*) not found as a whole token")
        for h in hits:
            add(where, label, surface, h, kb_id, value)
            if label in FLAT:
                fixed_flat.append((h, h + len(surface)))

    # validation
    seen = {}
    for s in spans:
        where, st, en, lab = s["_where"], s["start"], s["end"], s["label"]
        key = (st, en, lab)
        if key in seen:
            raise GoldError(f"{where}: duplicate span {s['text']!r} at {st} (also {seen[key]})")
        seen[key] = where
        if text[st:en] != s["text"]:
            raise GoldError(f"{where}: text mismatch")
        if text[st].isspace() or text[en - 1].isspace():
            raise GoldError(f"{where}: span starts/ends on whitespace")
        if not whole_token(text, st, en):
            raise GoldError(f"{where}: span {s['text']!r} cuts a word at {st}-{en}")
        if lab in FLAT and BRACKETS & set(s["text"]):
            raise GoldError(f"{where}: bracket inside {lab} span {s['text']!r}")
        if lab in ("PERSON", "PLACE"):
            if not s["kb_id"]:
                raise GoldError(f"{where}: {lab} {s['text']!r} without kb_id")
        elif s["kb_id"] is not None:
            raise GoldError(f"{where}: kb_id given for {lab}")
        if lab == "DATE":
            if s["value"] is not None and not ISO.match(s["value"]):
                raise GoldError(f"{where}: DATE value {s['value']!r} is not ISO 8601")
        elif s["value"] is not None:
            raise GoldError(f"{where}: value given for {lab}")
        if lab == "PROPOSAL" and (s["text"][-1] in ".;,:" ):
            raise GoldError(f"{where}: PROPOSAL ends on punctuation")
        if lab != "PROPOSAL" and s["text"][-1] in ",;:" :
            raise GoldError(f"{where}: span ends on punctuation")
    flat = sorted((s for s in spans if s["label"] in FLAT), key=lambda s: (s["start"], s["end"]))
    for a, b in zip(flat, flat[1:]):
        if b["start"] < a["end"]:
            raise GoldError(f"{b['_where']}: {b['label']} {b['text']!r} overlaps {a['label']} {a['text']!r} ({a['_where']})")

    # coverage warnings: a tagged PERSON/PLACE/MILITARY_UNIT string occurring elsewhere untagged
    warnings = []
    covered = [(s["start"], s["end"]) for s in flat]
    for surf, lab in sorted({(s["text"], s["label"]) for s in flat if s["label"] != "DATE"}):
        for h in occurrences(text, surf):
            if not any(a <= h and h + len(surf) <= b for a, b in covered):
                warnings.append(f"{doc_id}: untagged occurrence of {lab} {surf!r} at {h}: ...{text[max(0,h-30):h+len(surf)+30]!r}...")

    spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
    for s in spans:
        del s["_where"]
    split = split_of(doc_id)
    rec = {
        "doc_id": doc_id,
        "text": text,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "meta": {"source": f"corpus/{doc_id}.txt", "split": split, "document_date": date_when[:10],
                 "annotation": "manual, against LABELS.md"},
        "spans": spans,
        "pipeline": {"name": "gold", "version": "1"},
    }
    return rec, warnings


def counts_table(docs):
    c = defaultdict(Counter)
    ndocs = Counter()
    for d in docs:
        sp = d["meta"]["split"]
        ndocs[sp] += 1
        for s in d["spans"]:
            c[sp][s["label"]] += 1
    lines = ["| label | dev | test | total |", "|---|---:|---:|---:|"]
    for lab in LABELS:
        lines.append(f"| {lab} | {c['dev'][lab]} | {c['test'][lab]} | {c['dev'][lab] + c['test'][lab]} |")
    tot = {sp: sum(c[sp].values()) for sp in ("dev", "test")}
    lines.append(f"| all spans | {tot['dev']} | {tot['test']} | {tot['dev'] + tot['test']} |")
    lines.append(f"| documents | {ndocs['dev']} | {ndocs['test']} | {ndocs['dev'] + ndocs['test']} |")
    return "\n".join(lines), c


def main():
    meta = load_metadata()
    docs, warnings, errors = [], [], []
    for src in sorted(SOURCE.glob("*.tsv")):
        try:
            rec, w = build_doc(src, meta)
            docs.append(rec)
            warnings.extend(w)
        except GoldError as e:
            errors.append(str(e))
    for w in warnings:
        print("WARNING", w)
    if errors:
        for e in errors:
            print("ERROR", e, file=sys.stderr)
        sys.exit(1)
    for split in ("dev", "test"):
        with open(HERE / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for d in docs:
                if d["meta"]["split"] == split:
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
    table, c = counts_table(docs)
    doclist = ["| doc_id | split | date | spans |", "|---|---|---|---:|"]
    for d in sorted(docs, key=lambda d: (d["meta"]["split"], d["doc_id"])):
        doclist.append(f"| {d['doc_id']} | {d['meta']['split']} | {d['meta']['document_date']} | {len(d['spans'])} |")
    readme = HERE / "README.md"
    if readme.exists():
        body = readme.read_text(encoding="utf-8")
        for tag, content in (("counts", table), ("documents", "\n".join(doclist))):
            body = re.sub(rf"(<!-- {tag} start -->\n).*?(<!-- {tag} end -->)",
                          lambda m: m.group(1) + content + "\n" + m.group(2), body, flags=re.S)
        readme.write_text(body, encoding="utf-8")
    print(table)
    short = [f"{lab} {sp}={c[sp][lab]}" for lab in LABELS for sp in ("dev", "test")
             if (c["dev"][lab] + c["test"][lab] < 40 and sp == "dev") or (sp == "test" and c["test"][lab] < 12)]
    print(f"OK: {len(docs)} documents validated; {len(warnings)} coverage warning(s)")
    if short:
        print("below target (>=40 overall, >=12 test):", ", ".join(short))


if __name__ == "__main__":
    main()
