import pytest

RULES = {"names": [{"id": "unit.unc", "kb_id": "United Nations Command", "names": ["UNC", "UN Command"]}]}


@pytest.fixture
def units(make_nlp):
    return make_nlp("archival_units", RULES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The commander of the 13th army group returned.", ["13th army group"]),
        ("X Corps and the Eighth Army advanced.", ["X Corps", "Eighth Army"]),
        ("The 1st Marine Division landed.", ["1st Marine Division"]),
        ("The Seventh Fleet patrols.", ["Seventh Fleet"]),
        ("The Korean army and Chinese volunteer troops must hold.", ["Korean army", "Chinese volunteer troops"]),
        ("Our aviation units are ready.", ["aviation units"]),
        ("UNC and UN forces withdrew.", ["UNC", "UN forces"]),
        ("The troops and the enemy rested.", []),
        ("Chinese Communist armed forces moved.", ["Chinese Communist armed forces"]),
    ],
)
def test_units(units, text, expected):
    doc = units(text)
    assert [s.text for s in doc.ents] == expected
    assert all(s.label_ == "MILITARY_UNIT" and s.id_.startswith("unit.") for s in doc.ents)
