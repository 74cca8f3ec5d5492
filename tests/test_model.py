"""The saved pipeline: round trip, freshness of the committed model, loading without imports."""
import filecmp
import json
import subprocess
import sys

import spacy

from pipeline.model import DEFAULT_MODEL, build_model

from .conftest import REPO

SAMPLE = (
    "The Ambassador in Korea (Muccio) to the Secretary of State\nPusan, June 3, 1951—4 p. m.\n\n"
    "Comrade Filippov [Stalin] asked General Ridgway about the 13th army group. "
    "We propose that the border be restored at the 38th parallel.\n"
)


def _summary(doc):
    return [(s.start_char, s.end_char, s.label_, s.kb_id_, s.id_) for s in doc.spans["archival"]]


def test_save_load_round_trip(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert _summary(loaded(SAMPLE)) == _summary(nlp(SAMPLE))
    assert [t.text for t in loaded.make_doc("1951—4 p.m.")] == ["1951", "—", "4", "p.m."]


def test_committed_model_is_not_stale(tmp_path):
    """models/archival_ner must be what `archival-ner build` makes from the current rule files."""
    fresh = build_model(tmp_path / "fresh")
    committed = REPO / DEFAULT_MODEL
    stale = []
    for path in sorted(fresh.rglob("*")):
        if path.is_dir() or path.parts[-2:-1] == ("vocab",):
            continue
        relative = path.relative_to(fresh)
        other = committed / relative
        if not other.exists() or not filecmp.cmp(path, other, shallow=False):
            stale.append(str(relative))
    assert stale == [], f"models/archival_ner is stale ({', '.join(stale)}); run `archival-ner build`"


def test_model_loads_in_a_fresh_interpreter_without_importing_the_package():
    code = (
        "import json, sys, spacy; nlp = spacy.load(sys.argv[1]);"
        "doc = nlp('Comrade Filippov met General Ridgway on 13 June 1951.');"
        "print(json.dumps([[e.text, e.label_] for e in doc.ents]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(REPO / DEFAULT_MODEL)], capture_output=True, text=True, check=True
    )
    assert ["13 June 1951", "DATE"] in json.loads(result.stdout)
    assert ["Ridgway", "PERSON"] in json.loads(result.stdout)
