import pytest

from ..conftest import spans_of

RULES = {
    "names": [
        {"id": "person.stalin", "kb_id": "Joseph Stalin", "names": ["Stalin", "Filippov", "I.V. Stalin", "Stalin, I.V."]},
        {"id": "person.zhou_enlai", "kb_id": "Zhou Enlai", "names": ["Zhou Enlai", "Chou En-lai", "Chou"]},
        {"id": "person.george_marshall", "kb_id": "George Marshall", "names": ["George C. Marshall"], "ambiguous": ["Marshall"]},
    ],
}


@pytest.fixture
def people(make_nlp):
    return make_nlp("archival_people", RULES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Comrade Filippov [Stalin] agreed.", [("Filippov", "Joseph Stalin"), ("Stalin", "Joseph Stalin")]),
        ("To Comrade Stalin, I.V.\n", [("Stalin, I.V.", "Joseph Stalin")]),
        ("Chou's speech was long.", [("Chou", "Zhou Enlai")]),
        ("Chou En-lai spoke.", [("Chou En-lai", "Zhou Enlai")]),
        ("General Ridgway reported.", [("Ridgway", "Ridgway")]),
        ("General Marshall reported.", [("Marshall", "George Marshall")]),
        ("The Marshall Plan helped.", []),
        ("Cde. Mao Zedong agreed.", [("Mao Zedong", "Mao Zedong")]),
        ("The General Assembly met.", []),
        ("Ambassador Kirk said so.", [("Kirk", "Kirk")]),
        ("The President agreed.", []),
    ],
)
def test_people(people, text, expected):
    doc = people(text)
    found = sorted({(s.text, s.kb_id_) for s in doc.spans["archival"]}, key=lambda item: text.index(item[0]))
    assert found == expected


def test_title_is_left_out_and_rule_id_kept(people):
    doc = people("General Ridgway reported.")
    (span,) = doc.spans["archival"]
    assert (span.text, span.id_) == ("Ridgway", "person.title.military")


def test_signature_line(people):
    doc = people("Text of the telegram.\n\nHenderson\n")
    assert [(s.text, s.id_) for s in doc.spans["archival"]] == [("Henderson", "person.signature")]


def test_signature_line_is_not_a_classification(people):
    doc = people("Text of the telegram.\n\nTop Secret\n")
    assert spans_of(doc) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # FRUS headings: a name in parentheses after a role
        (
            "The Ambassador in the United Kingdom (Gifford) to the Secretary of State\n\nGifford reported.",
            [("Gifford", "person.role_parenthesis"), ("Gifford", "person.propagated")],
        ),
        # a name found once after a title is found again alone
        ("Mr. Lamb met Panikkar. Lamb agreed.", [("Lamb", "person.title.civil"), ("Lamb", "person.propagated")]),
        # a plural title introduces a list of names
        (
            "I suggest that you call Messrs. Clubb, Barrett, Parelman and myself.",
            [("Clubb", "person.title.plural"), ("Barrett", "person.title.plural"), ("Parelman", "person.title.plural")],
        ),
        ("Problem will be presented to Adm Jarrett.", [("Jarrett", "person.title.military")]),
        ("My Dear Mr. Minister: we agree.", []),
    ],
)
def test_anchored_names_and_their_repeats(people, text, expected):
    doc = people(text)
    assert [(s.text, s.id_) for s in doc.ents] == expected


def test_surname_of_a_known_person_gets_the_canonical_name(people):
    doc = people("General George C. Marshall arrived. Later General Marshall left.")
    assert {s.kb_id_ for s in doc.ents} == {"George Marshall"}


def test_speaker_before_a_verb_of_saying_and_its_repeats(people):
    doc = people("In addition Nye reports his understanding. Later, Nye reiterates his belief. Nye is tired.")
    # an unknown name is a guess from context: tagged where the context says so, not repeated
    assert [(s.text, s.id_) for s in doc.ents] == [("Nye", "person.speaker"), ("Nye", "person.speaker")]


def test_a_sentence_start_before_a_verb_is_not_a_name(people):
    doc = people("The talks failed. Official reports confirm it. Govt stated otherwise.")
    assert list(doc.ents) == []


def test_a_place_beats_a_speaker_of_the_same_extent(nlp):
    doc = nlp("Peiping stated that talks would go on.")
    assert [(s.text, s.label_) for s in doc.ents] == [("Peiping", "PLACE")]


def test_a_surname_takes_the_canonical_name_of_its_full_form_in_the_document(people):
    doc = people("The Director (Staats) to the Secretary\n\nText.\n\nElmer B. Staats\n")
    assert [(s.text, s.kb_id_) for s in doc.ents] == [("Staats", "Elmer B. Staats"), ("Elmer B. Staats", "Elmer B. Staats")]


SURNAME_RULES = {
    "names": [
        {"id": "person.arthur-d-struble", "kb_id": "Arthur D. Struble", "names": ["Arthur D. Struble"]},
        {"id": "person.lionel-lamb", "kb_id": "Lionel Lamb", "names": ["Lionel H. Lamb"], "ambiguous": ["Lamb"]},
        {"id": "person.walter-f-george", "kb_id": "Walter F. George", "names": ["Walter F. George"]},
        {"id": "person.zhou-enlai", "kb_id": "Zhou Enlai", "names": ["Zhou Enlai", "Chou En-lai"]},
        {"id": "person.oliver-p-smith", "kb_id": "Oliver P. Smith", "names": ["Oliver P. Smith"]},
        {"id": "person.walter-bedell-smith", "kb_id": "Walter Bedell Smith", "names": ["W. B. Smith"]},
    ],
}


@pytest.fixture
def surnames(make_nlp):
    return make_nlp("archival_people", SURNAME_RULES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Attended by Struble, Turner and staffs.", [("Struble", "Arthur D. Struble")]),
        ("Struble attended.", [("Struble", "Arthur D. Struble")]),
        # an ambiguous surname only inside a sentence, and never when the text has the common word
        ("Instructions drafted for Lamb’s guidance.", [("Lamb", "Lionel Lamb")]),
        ("Lamb chops were served.", []),
        ("He ate a lamb stew, and Lamb was there.", []),
        # part of a longer name, a given name before an initial, a surname two people share
        ("The Struble Bay incident.", []),
        ("Near Fort Struble.", []),
        ("the statement of George F. Kennan", [("George F. Kennan", "George F. Kennan")]),
        ("a telegram from Smith was read", []),
        # only Western full names give a surname that stands alone ("Enlai" is a given name)
        ("Enlai and others", []),
    ],
)
def test_known_surnames_standing_alone(surnames, text, expected):
    doc = surnames(text)
    assert [(s.text, s.kb_id_) for s in doc.ents] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Report by Elmer B. Staats on the progress.", ["Elmer B. Staats"]),
        ("Signed for James S. Lay, Jr. today.", ["James S. Lay, Jr."]),
        ("Participants: K. R. C. Pridham, Second Secretary.", ["K. R. C. Pridham"]),
        ("the U. S. Army and the U.S. Senator", []),
        ("Part I. Called on the Minister.", []),
    ],
)
def test_full_names_with_initials(surnames, text, expected):
    doc = surnames(text)
    assert [s.text for s in doc.ents] == expected


def test_a_full_name_written_in_the_document_completes_a_surname_found_by_title(people):
    doc = people("My letter to Allen Griffin of May 9 states it. Mr. Griffin agreed later.")
    assert [(s.text, s.kb_id_) for s in doc.ents] == [("Allen Griffin", "Allen Griffin"), ("Griffin", "Allen Griffin")]


def test_title_abbreviations_of_telegrams_are_not_given_names(people):
    doc = people("Step which GOI and Amb Pannikar took. Pres Quirino agreed. Mr. Pannikar left.")
    assert [s.text for s in doc.ents] == ["Pannikar", "Quirino", "Pannikar"]


def test_a_junior_full_name_completes_its_surname(people):
    doc = people("The Secretary of the Council (Lay) to the Board\n\nText.\n\nJames S. Lay, Jr.\n")
    assert [(s.text, s.kb_id_) for s in doc.ents] == [("Lay", "James S. Lay, Jr."), ("James S. Lay, Jr.", "James S. Lay, Jr.")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Comrade Vishinsky, A.Ya. will inform him.", ["Vishinsky, A.Ya."]),
        ("Signed by Stalin I.V. and others.", ["Stalin I.V."]),
        ("He met Stalin. I. Conditions follow.", ["Stalin"]),  # a list number, not an initial
    ],
)
def test_initials_after_a_surname_belong_to_the_name(make_nlp, text, expected):
    rules = {"names": [
        {"id": "person.stalin", "kb_id": "Joseph Stalin", "names": ["Stalin"]},
        {"id": "person.vyshinsky", "kb_id": "Andrey Vyshinsky", "names": ["Vishinsky", "Vyshinsky"]},
    ]}
    doc = make_nlp("archival_people", rules)(text)
    assert [s.text for s in doc.ents] == expected


def test_a_knight_is_named_by_his_given_name(make_nlp):
    rules = {"names": [
        {"id": "person.oliver-franks", "kb_id": "Oliver Franks", "names": ["Oliver Franks"]},
        {"id": "person.robert-t-oliver", "kb_id": "Robert T. Oliver", "names": ["Robert T. Oliver"]},
    ]}
    doc = make_nlp("archival_people", rules)("Participants: Sir Oliver Franks. Later Sir Oliver called.")
    assert [(s.text, s.kb_id_) for s in doc.ents] == [("Oliver Franks", "Oliver Franks"), ("Oliver", "Oliver Franks")]


def test_a_place_beats_a_heading_role_or_a_signature_of_the_same_extent(nlp):
    doc = nlp("Participants:\n\nGeneral Carlos Romulo (Philippines)\n\nThe talks went well.\n\nTokyo\n")
    assert [(s.text, s.label_) for s in doc.ents if s.text in ("Philippines", "Tokyo")] == [
        ("Philippines", "PLACE"),
        ("Tokyo", "PLACE"),
    ]
