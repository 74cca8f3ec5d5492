import pytest

RULES = {
    "names": [
        {"id": "place.taiwan", "kb_id": "Taiwan", "names": ["Taiwan", "Formosa", "GRC"]},
        {"id": "place.beijing", "kb_id": "Beijing", "names": ["Peking", "Peiping", "Beijing"]},
        {"id": "place.korea", "kb_id": "Korea", "names": ["Korea"]},
        {"id": "place.north_korea", "kb_id": "North Korea", "names": ["North Korea"]},
        {"id": "place.kaesong", "kb_id": "Kaesong", "names": ["Kaesong"]},
        {"id": "place.38th_parallel", "kb_id": "38th parallel", "names": ["38th parallel"]},
    ]
}


@pytest.fixture
def places(make_nlp):
    return make_nlp("archival_places", RULES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Formosa and Peiping.", [("Formosa", "Taiwan"), ("Peiping", "Beijing")]),
        ("The Korean army held.", []),  # a nationality adjective is not a place
        ("North Korea and Korea.", [("North Korea", "North Korea"), ("Korea", "Korea")]),
        ("Fighting in the Kaesong area.", [("Kaesong", "Kaesong")]),
        ("The border at the 38th parallel.", [("38th parallel", "38th parallel")]),
        ("Peiping's radio said so.", [("Peiping", "Beijing")]),
    ],
)
def test_places(places, text, expected):
    doc = places(text)
    assert [(s.text, s.kb_id_) for s in doc.ents] == expected
    assert all(s.id_.startswith("place.") for s in doc.ents)


def test_no_place_inside_an_organization_name(places):
    doc = places("The Bureau of Far Eastern Affairs of the United Nations Commission on Korea met in Korea.")
    assert [s.start_char for s in doc.ents] == [doc.text.rindex("Korea")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Troops moved to North Korea and South Taiwan.", [("North Korea", "place.north_korea"), ("South Taiwan", "place.compass")]),
        ("Evacuation from the town of Tachilek began; Tachilek is quiet.", [("Tachilek", "place.named_as"), ("Tachilek", "place.propagated")]),
        ("They crossed the Yalu River at night.", [("Yalu River", "place.feature")]),
    ],
)
def test_places_named_by_cues(places, text, expected):
    doc = places(text)
    assert [(s.text, s.id_) for s in doc.ents] == expected


CUE_RULES = {
    "names": RULES["names"],
    "cues": [
        {"id": "place.prefix", "kind": "prefix", "cues": ["Mong", "Mae"]},
        {"id": "place.abbreviation.china", "kind": "after_preposition", "kb_id": "China", "cues": ["Chi"]},
        {"id": "place.abbreviation.sweden", "kind": "after_preposition", "kb_id": "Sweden", "cues": ["Swed"]},
    ],
}


@pytest.mark.parametrize(
    "text, expected",
    [
        # place names that begin with a regional prefix
        ("Cease-fire around Mong Yawng and Mae Sai.", [("Mong Yawng", "Mong Yawng"), ("Mae Sai", "Mae Sai")]),
        # a telegram's abbreviation is a place where it stands as a noun ...
        ("Those under arrest in Chi were tried.", [("Chi", "China")]),
        ("Sent to FonMins of Great Britain, Swed, and India.", [("Swed", "Sweden")]),
        ("Evidence to Chi of US initiative.", [("Chi", "China")]),
        # ... not as a modifier or an adjective
        ("Approach to Chi Govt likely.", []),
        ("Treatment by the Chi Commie auths.", []),
        ("It wld put Chi backs up.", []),
    ],
)
def test_places_named_by_cues(make_nlp, text, expected):
    doc = make_nlp("archival_places", CUE_RULES)(text)
    assert [(s.text, s.kb_id_) for s in doc.ents] == expected
