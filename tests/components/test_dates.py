import pytest

from pipeline.components.dates import find_document_date

DATELINE = "The Ambassador in India (Henderson) to the Secretary of State\nNew Delhi, June 3, 1951—4 p. m. top secret\n\n"


@pytest.mark.parametrize(
    "sentence, expected_text, expected_value",
    [
        ("We met on 14 June 1951 in the morning.", "14 June 1951", "1951-06-14"),
        ("We met on June 14, 1951 in the morning.", "June 14, 1951", "1951-06-14"),
        ("I received your telegram of 13 June.", "13 June", "1951-06-13"),
        ("(Embtel 3398, May 29).", "May 29", "1951-05-29"),
        ("The talks of June 1951 failed.", "June 1951", "1951-06"),
        ("Signed 13.6.51 in Peking.", "13.6.51", "1951-06-13"),
        ("Signed 30.6.1951 in Peking.", "30.6.1951", "1951-06-30"),
        ("Signed 6/13/51 in Peking.", "6/13/51", "1951-06-13"),
        ("He left yesterday.", "yesterday", "1951-06-02"),
        ("He leaves tomorrow.", "tomorrow", "1951-06-04"),
        ("I saw him this morning.", "this morning", "1951-06-03"),
        ("Elections this year are likely.", "this year", "1951"),
        ("He came last July.", "last July", "1950-07"),
        ("We meet again next week.", "next week", None),
        ("They will hold for the next two months.", "the next two months", None),
        ("In June and July we fought.", "June and July", None),
        ("Talks on 7-14 Aug were hard.", "7-14 Aug", None),
        ("Losses in 1950–51 were high.", "1950–51", None),
        ("In August we will attack.", "August", "1951-08"),
        ("He saw Rhee on Sunday.", "Sunday", "1951-06-03"),
        ("Prices rose this autumn.", "this autumn", None),
        ("The program for fiscal 1952 is large.", "fiscal 1952", None),
        ("Cease-fire from March 16 until March 31 only.", "March 16 until March 31", None),
        # a day far ahead of the document's date (June 3, 1951) is last year's
        ("Interpretation of the 28 October agreement.", "28 October", "1950-10-28"),
        ("Instructions of November still apply.", "November", "1950-11"),
        ("We will meet on 14 July.", "14 July", "1951-07-14"),
        # a day of the month alone, in the document's month or, far ahead of it, the month before
        ("Staff attended the briefing on 2nd.", "2nd", "1951-06-02"),
        ("Talks held on morning of 1st went well.", "morning of 1st", "1951-06-01"),
        ("Talks held on 28th went well.", "28th", "1951-05-28"),
    ],
)
def test_date_forms_and_values(nlp, sentence, expected_text, expected_value):
    doc = nlp(DATELINE + sentence)
    dates = [s for s in doc.spans["archival"] if s.label_ == "DATE" and s.start_char >= len(DATELINE)]
    assert [(s.text, s.kb_id_ or None) for s in dates] == [(expected_text, expected_value)]


def test_dateline_date_stops_before_the_time(nlp):
    doc = nlp("Memo\nWashington, August 14, 1955—9:27 p.m.\n\nText.")
    assert [s.text for s in doc.ents if s.label_ == "DATE"] == ["August 14, 1955"]
    assert doc._.archival_document_date == "1955-08-14"


@pytest.mark.parametrize(
    "text, expected",
    [
        (DATELINE + "Body.", "1951-06-03"),
        ("Letter with 13 June 1951 in the title\n\nBody text.\n\nKim Il Sung\n\n14 June 1951\n", "1951-06-14"),
        ("No date at all here.", None),
        ("Body mentioning June 2, 1950 and then 3 July 1951.", "1950-06-02"),
    ],
)
def test_document_date(text, expected):
    assert find_document_date(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "You may go now.",  # the verb, not the month
        "See Deptel 1951 for details.",  # a telegram number, not a year
        "They may fall back.",  # a bare season word
        "The meeting lasted 11:30 to 9:27 p.m. only.",  # times are not dates
        "He is 45 years old and spent two hours there.",
        "Attacks by the 24th Division and on 38th parallel.",  # ordinals of units and lines
        "The debate of 5th session ended.",
    ],
)
def test_not_dates(nlp, sentence):
    doc = nlp(sentence)
    assert [s.text for s in doc.spans["archival"] if s.label_ == "DATE"] == []


def test_no_document_date_leaves_relative_values_empty(nlp):
    doc = nlp("He arrived yesterday and leaves on 13 June.")
    assert [(s.text, s.kb_id_) for s in doc.ents] == [("yesterday", ""), ("13 June", "")]
