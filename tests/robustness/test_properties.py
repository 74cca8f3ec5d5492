"""Property: any text at all goes through the pipeline, and what comes out lines up with it.

Arbitrary Unicode (no lone surrogates: no file decodes to them), mixed with the words and marks
the rules key on: titles, names, months, digits, brackets, semicolons, list numbers, cue phrases.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.labels import LABELS, SPAN_GROUP

#: Pieces the rules react to, so that random text actually exercises them.
PIECES = [
    "General", "Marshal", "Comrade", "Mr.", "Gen.", "Ambassador", "President", "Premier",
    "Kim Il Sung", "Kim", "Mao Zedong", "Zhou Enlai", "Peng Dehuai", "Ridgway", "Stalin", "Muccio",
    "Pyongyang", "Seoul", "Kaesong", "Korea", "Moscow", "Peking", "the 38th parallel",
    "Eighth Army", "8th Army", "1st Marine Division", "Division", "Corps", "CCF",
    "January", "June", "July", "Sept.", "13", "1951", "10 July 1951", "June 3, 1951", "13.6.51", "4 p. m.",
    "proposes that", "we propose", "should", "must", "Point out that", "Conditions for the armistice:",
    "as follows:", "1.", "2)", "(a)", "b.",
    "(", ")", "[", "]", ";", ":", ".", ",", "'s", "’", "“", "”", "—", "-", "...",
    " ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\x00", "\x0b", "\x1f", "\x85",
    "𠀀", "😀", "🇰🇵", "e\u0301", "김일성", "毛泽东", "Сталин",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(st.characters(exclude_categories=("Cs",)), max_size=6)),
    max_size=60,
).map("".join)
BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BOUNDED
@given(text=TEXTS)
def test_spans_line_up_with_any_text(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    for span in doc.spans[SPAN_GROUP]:
        assert 0 <= span.start_char < span.end_char <= len(text), (span.start_char, span.end_char)
        assert text[span.start_char:span.end_char] == span.text
        assert span.label_ in LABELS and span.id_
    entities = sorted((ent.start_char, ent.end_char) for ent in doc.ents)
    for (_, end), (start, _) in zip(entities, entities[1:]):
        assert end <= start, entities


@BOUNDED
@given(text=TEXTS)
@example(text="We propose that/\nthe talks begin.")  # content starting inside a token
def test_spans_never_start_or_end_on_whitespace(nlp, text):
    doc = nlp(text)
    for span in doc.spans[SPAN_GROUP]:
        assert not span.text[0].isspace() and not span.text[-1].isspace(), (span.label_, span.text, span.id_)
