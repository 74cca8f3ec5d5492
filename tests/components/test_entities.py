from spacy.tokens import Span


def test_overlaps_resolve_longest_first_and_proposals_survive(nlp):
    text = "We propose restoration of the border at the 38th parallel by the Korean People's Army."
    doc = nlp(text)
    labels = {(s.label_, s.text) for s in doc.spans["archival"]}
    assert ("PROPOSAL", "restoration of the border at the 38th parallel by the Korean People's Army") in labels
    # doc.ents never overlap and never hold a PROPOSAL
    ents = list(doc.ents)
    assert all(a.end <= b.start for a, b in zip(ents, ents[1:]))
    assert all(e.label_ != "PROPOSAL" for e in ents)
    # the group holds exactly the entities plus the proposals
    assert sorted((s.start, s.end, s.label_) for s in doc.spans["archival"] if s.label_ != "PROPOSAL") == sorted(
        (s.start, s.end, s.label_) for s in ents
    )


def test_filter_prefers_the_longer_span(make_nlp):
    nlp = make_nlp("archival_entities")
    doc = nlp.make_doc("North Korea said")
    doc.spans["archival"] = [
        Span(doc, 1, 2, label="PLACE", span_id="a"),
        Span(doc, 0, 2, label="PLACE", span_id="b"),
    ]
    doc = nlp.get_pipe("archival_entities")(doc)
    assert [(e.text, e.id_) for e in doc.ents] == [("North Korea", "b")]
