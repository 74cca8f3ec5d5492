import pytest

from pipeline.components.clauses import sentence_bounds, trim_content


@pytest.fixture(scope="module")
def proposals():
    import spacy

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "archival.tokenizer.v1"}}})
    nlp.add_pipe("archival_proposals")
    nlp.initialize()
    return nlp


def found(nlp, text):
    doc = nlp(text)
    return [s.text for s in doc.spans["archival"] if s.label_ == "PROPOSAL"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Conditions for the armistice: restoration of the border at the 38th parallel; to apportion "
            "from both North Korea and South Korea an insignificant strip [to serve] as a neutral zone.",
            [
                "restoration of the border at the 38th parallel",
                "to apportion from both North Korea and South Korea an insignificant strip [to serve] as a neutral zone",
            ],
        ),
        ("We propose that both sides withdraw ten kilometres.", ["both sides withdraw ten kilometres"]),
        ("I ask you to receive us today.", ["receive us today"]),
        ("It is better to act in this way:\n\n1. To wait for the enemy to make an appeal.\n\n2. To hold the line.\n",
         ["To wait for the enemy to make an appeal", "To hold the line"]),
        ("We believe US should be prepared to issue a statement.", ["US should be prepared to issue a statement"]),
        ("Point out that the Chinese must withdraw.", ["Point out that the Chinese must withdraw"]),
        ("You should inform Chou that we refuse.", ["inform Chou that we refuse"]),
        # the proposal named before a colon; what follows is a report
        ("Lamb reported on proposals for joint representations: 1. He has spoken to the Swiss.", ["joint representations"]),
        # items listed inline after a colon
        ("Cease-fire proposed as follows: a. Until March 15, no firing. b. Safe conduct for troops.",
         ["Until March 15, no firing", "Safe conduct for troops"]),
        # a framing phrase and a connective are left out
        ("Suggests however evacuation be undertaken without delay.", ["evacuation be undertaken without delay"]),
        ("Believe Embassy shld inform GOI at once.", ["Embassy shld inform GOI at once"]),
        # a request made of someone: the content starts at the requested action
        ("That memorandum requested the Government of China, as a matter of urgency, to formulate procedures.",
         ["formulate procedures"]),
        # two instructions joined by "but" are two proposals; list numbers and markers stay out
        ("Stress advantage of Part IV but make clear precedence of northern operation.",
         ["Stress advantage of Part IV", "make clear precedence of northern operation"]),
        ("Lamb commented: a. Any suggestion of US initiative shld be avoided. b. Publicity harmful.",
         ["US initiative shld be avoided"]),
        ("3) Policy we shld then follow is that we regard it as their business.",
         ["Policy we shld then follow is that we regard it as their business"]),
        # the addressee of a recommendation is not part of it
        ("Several days ago I recommended to Lansdale that he return to US.", ["he return to US"]),
        # lettered grounds inside a clause are separate proposals
        ("He suggests several grounds, preferably (a) it was result of duress, and (b) delegates exceeded their powers.",
         ["it was result of duress", "delegates exceeded their powers"]),
        # unnumbered terms after "as follows:" are taken sentence by sentence
        ("Question settled along lines recommended by GOI about as follows:\n\nDalai Lama retains supremacy. "
         "Panchen Lama given permission return Tibet.\n\nSent Department 5089.",
         ["Dalai Lama retains supremacy", "Panchen Lama given permission return Tibet"]),
        ("Foreign Office would still prefer avoid introduction of Tibetan issue in UN.",
         ["avoid introduction of Tibetan issue in UN"]),
        # the subject of a modal clause starts after a verb of saying or believing in any tense
        ("The Foreign Office believed the United States should make a joint approach.",
         ["the United States should make a joint approach"]),
        # an instruction after "You should" joined to another by "but" or "and"; a connective left out
        ("You should prepare to fight a defensive battle, but do not give up Seoul lightly.",
         ["prepare to fight a defensive battle", "do not give up Seoul lightly"]),
        ("The 38th Army should hold; in the meantime the 42nd Army must rest near Hongchon.",
         ["The 38th Army should hold", "the 42nd Army must rest near Hongchon"]),
        # terms counted out in words and joined by ";" are separate, without their ordinals
        ("You should insist on the following: first, cease-fire on both sides; second, a zone of ten "
         "kilometers; third, the exchange of all prisoners.",
         ["cease-fire on both sides", "a zone of ten kilometers", "the exchange of all prisoners"]),
        # what the same speaker goes on to say is a proposal of its own, not part of the first
        ("He asked that General Van Fleet be informed and urged that the Eighth Army restore the positions.",
         ["General Van Fleet be informed", "the Eighth Army restore the positions"]),
        # a passive request closing its sentence: its subject is what is asked for
        ("The views of the Joint Chiefs of Staff on this maneuver are requested.",
         ["The views of the Joint Chiefs of Staff on this maneuver"]),
        # the terms of an approval, and two agreed actions
        ("Plan approved with understanding (a) not interfere with evacuation and (b) costs shared.",
         ["not interfere with evacuation", "costs shared"]),
        ("The OCB agreed that the Department will finance the trainees and that other agencies will assist.",
         ["the Department will finance the trainees", "other agencies will assist"]),
    ],
)
def test_proposals(proposals, text, expected):
    assert found(proposals, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We have ordered Deng Hua to return to the front.",  # an order already given
        "In case the Tibetan Government should announce refusal, we will wait.",  # a condition
        "The force will be available for recall should the need arise.",  # an inverted condition
        "We wait, since the army must occupy a defensive position.",  # a reason
        "The weather was cold.",
        "If America firmly insists that the question be resolved separately, we will concede.",  # a condition
        "Hutchison had recommended mild approach to the problem.",  # narrated, past perfect
        "Struble asked if the Chinese would like to make an estimate.",  # a question, no addressee
        "Report comes from three independent Chinese sources.",  # a cue used as a noun
        "Request for cease-fire extension requires conferring with officials.",
        "It is requested.",  # a passive cue with an empty subject
        "In lieu thereof they proposed traffic lanes which were accepted in principle.",  # settled
        "A proposal that the zone come only from the North will by no means be accepted.",  # refused
    ],
)
def test_not_proposals(proposals, text):
    assert found(proposals, text) == []


def test_sentences_do_not_end_at_abbreviations():
    text = "Mr. Kim met Gen. Ridgway at 4 p. m. today. Then he left."
    assert [text[s:e] for s, e in sentence_bounds(text)] == ["Mr. Kim met Gen. Ridgway at 4 p. m. today.", "Then he left."]


@pytest.mark.parametrize(
    "content, expected",
    [(" to act now.", "to act now"), ("strip [to serve] as a zone;", "strip [to serve] as a zone"), ("the zone]", "the zone")],
)
def test_trim_content(content, expected):
    start, end = trim_content(content, 0, len(content))
    assert content[start:end] == expected
