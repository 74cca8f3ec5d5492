"""PERSON: named individuals, from a gazetteer, after titles and roles, in signatures.

Reads ``doc.text`` and tokens; appends PERSON spans to ``doc.spans["archival"]`` with the rule id
in ``span.id_`` and the canonical name in ``span.kb_id_``.

Rule sets:
- ``names`` (people.jsonl): ``{"id", "kb_id", "names", "ambiguous"?}``. ``names`` match anywhere;
  ``ambiguous`` forms (surnames shared with common words or other people) only after a title.
- ``titles`` (person_titles.jsonl): ``{"id", "cues", "plural"?}``. A capitalized name right after a
  cue ("General Ridgway", "Cde. Mao Zedong") is a PERSON; the title stays out. After a plural cue
  ("Messrs. Clubb, Barrett and Parelman") every name of the list is.
- ``roles`` (person_roles.jsonl): ``{"id", "cues"}``. A name in parentheses after a role on the
  same line, as in FRUS headings: "The Ambassador in the United Kingdom (Gifford) to ...".
- ``speech`` (person_speech.jsonl): ``{"id", "cues"}``. A capitalized name right before a verb of
  saying or deciding ("Nye reiterates", "Lamb commented") is a PERSON. These spans are weak: a
  place or unit of the same extent wins ("Peiping stated").
- ``stopwords`` (person_stopwords.jsonl): ``{"id", "names"}``. Capitalized words that follow a
  title without being a name ("General Assembly", "Secretary General").

A full name with middle initials ("Elmer B. Staats") or with initials before the surname ("K. R. C.
Pridham") is a PERSON wherever it stands (rule ``person.full_name``).

A known person's surname also stands alone (rule ``person.surname``: "Struble, Turner, Old and
Jarrett attended"), when the gazetteer holds a Western-style full name for it ("Arthur D.
Struble", "A. D. Struble": with an initial) and no other person with that surname. It is not
tagged where it begins or continues a longer capitalized name ("Battle Act", "Fort Bell"), nor in
a document that also writes it in lower case; an ``ambiguous`` surname only inside a sentence.

A name found by a title, role or signature (or a speaker known to the gazetteer) is then tagged
wherever else it occurs in the same document (rule ``person.propagated``), as is the surname of a
multi-word name: a document that says "Mr. Lamb" once says "Lamb" alone afterwards. A single word
that the document also writes in lower case is not repeated. Such names get their canonical name from the
gazetteer when one known person has that name or surname, else the name as written.
"""
import re
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import PERSON
from .base import RuleComponent, alternation, char_span, doc_text, span_group
from .gazetteer import Gazetteer
from .person_forms import complete_unknown_names, name_knights_by_their_full_names, with_trailing_initials

_WORD = r"[A-Z][a-z\u00C0-\u024F'’]+(?:-[A-Za-z\u00C0-\u024F]+)*"
_INITIALS = r"(?:[A-Z]\. ?){0,3}"
#: A name: up to four capitalized words, initials allowed ("George F. Kennan", "Chou En-lai",
#: "I.V. Stalin", "McConaughy"). Words are joined by single spaces, never across lines.
NAME = rf"{_INITIALS}(?:Mc|Mac|O')?{_WORD}(?: {_INITIALS}(?:Mc|Mac|O')?{_WORD}){{0,3}}"

#: A capitalized word that neither begins nor continues a longer name or initials: where a known
#: surname alone may stand ("Struble" in "Struble, Turner, Old", not in "Struble Bay" or "George F.").
CAPITALIZED_WORD_RE = re.compile(r"(?<![\w.])(?P<name>(?:Mc|Mac|O')?[A-Z][a-z]+)(?![\w])(?![ \t]+[A-Z][a-z]|[ \t]+[A-Z]\.)")
#: Every capitalized word, to see at C speed whether any known surname occurs at all.
CAPITALIZED_RE = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z]+")
#: A given name and perhaps an initial right before a surname: "Allen " in "Allen Griffin".
GIVEN_NAME_BEFORE_RE = re.compile(rf"(?<![\w.])(?P<given>{_WORD})(?: [A-Z]\.)? $")
#: The end of a surname after a given name: a generational suffix perhaps, then no more letters.
SURNAME_END_RE = re.compile(r"(?:,? Jr\.)?(?![\w])")
#: A signature: a line that holds only a name, at the end of the document or before a summary.
SIGNATURE_RE = re.compile(rf"^[ \t]*(?P<name>{NAME})[ \t]*$", re.MULTILINE)
#: How far from the end of the text a signature line may stand.
SIGNATURE_WINDOW = 400
SIGNATURE_RULE = "person.signature"
SURNAME_RULE = "person.surname"
#: A Western-style full name, with at least one initial, whose last word is the surname: "Arthur D.
#: Struble", "U. Alexis Johnson", "A.D. Struble", "James S. Lay, Jr.".
WESTERN_NAME_RE = re.compile(
    r"(?:[A-Z][a-z]+ )?(?:[A-Z]\. ?)+(?:[A-Z][a-z]+ )?(?P<surname>(?:Mc|Mac|O')?[A-Z][a-z]+)(?:,? Jr\.)?"
)
FULL_NAME_RULE = "person.full_name"
#: A full name that only a person has: a given name, middle initials and a surname ("Elmer B.
#: Staats", "James S. Lay, Jr.") or two or three initials and a surname ("K. R. C. Pridham").
FULL_NAME_RE = re.compile(
    r"(?=[A-Z])(?<![\w.])(?P<name>(?:[A-Z][a-z]+ (?:[A-Z]\. ?){1,2}|(?:[A-Z]\. ?){2,3})(?:Mc|Mac|O')?[A-Z][a-z]+(?:,? Jr\.)?)(?![\w])"
)
PROPAGATED_RULE = "person.propagated"
#: The rest of a list after a plural title: ", Barrett, Parelman and Smith".
LIST_RE = re.compile(rf"(?:,| and| &)[ \t]+(?P<name>{NAME})")
#: Words written in lower case (to tell common words from names).
LOWER_WORD_RE = re.compile(r"(?<![\w])[a-z][a-z\u00C0-\u024F'’-]*(?![\w])")
#: A possessive ending is not part of a name ("Ely’s" -> "Ely").
POSSESSIVE_RE = re.compile(r"['’]s?$")
#: What stands before a word inside a sentence: a lower-case word or a comma, then a space.
_INSIDE_SENTENCE_RE = re.compile(r"(?:[a-z][\w]*|,)[ \t]+$")


#: A capitalized word and a space right before a position: "Fort " in "Fort Bell".
_CAPITALIZED_BEFORE_RE = re.compile(r"[A-Z][\w'’-]*[ \t]+$")


def _after_capitalized_word(text: str, start: int) -> bool:
    return _CAPITALIZED_BEFORE_RE.search(text, max(0, start - 30), start) is not None


def _inside_sentence(text: str, start: int) -> bool:
    return _INSIDE_SENTENCE_RE.search(text, max(0, start - 30), start) is not None


class PeopleRuler(RuleComponent):
    """Tag PERSON spans from the gazetteer, titles, roles, signatures, and their repeats."""

    rule_sets = {
        "names": ("people.jsonl", "gazetteer"),
        "titles": ("person_titles.jsonl", "cue"),
        "roles": ("person_roles.jsonl", "cue"),
        "speech": ("person_speech.jsonl", "cue"),
        "stopwords": ("person_stopwords.jsonl", "names"),
    }
    label = PERSON

    def compile(self) -> None:
        self.gazetteer = Gazetteer(self.nlp, self.rules["names"], label=PERSON)
        self.kb_by_name = self._canonical_names()
        titles = {cue: rule for rule in self.rules["titles"] for cue in rule["cues"]}
        self.title_rule = titles
        self.not_names = {name for rule in self.rules["stopwords"] for name in rule["names"]}
        # A title word is never a name ("Mr. Minister").
        self.not_names |= {word for cue in titles for word in cue.split() if word[:1].isupper()}
        self.title_re = re.compile(rf"(?<![\w.])(?P<title>{alternation(titles)})[ \t]+(?P<name>{NAME})")
        roles = {cue: rule["id"] for rule in self.rules["roles"] for cue in rule["cues"]}
        self.role_rule = roles
        self.role_re = re.compile(
            rf"(?<![\w])(?P<role>{alternation(roles)})(?![\w])[^\n()]{{0,80}}\((?P<name>{NAME})\)"
        )

        speech = {cue: rule["id"] for rule in self.rules["speech"] for cue in rule["cues"]}
        self.speech_rule = speech
        self.speech_re = re.compile(
            rf"(?<![\w.])(?P<name>(?:Mc|Mac|O')?{_WORD})(?:,)?[ \t]+(?:(?:has|had|will|would|wld|also|then|now|again)[ \t]+)?"
            rf"(?P<verb>{alternation(speech)})(?![\w])"
        )
        self.surnames, self.ambiguous_surnames = self._standalone_surnames()

    def _canonical_names(self) -> dict[str, str]:
        """Every listed name and every unshared surname, mapped to the canonical name."""
        kb_by_name = dict(self.gazetteer.kb_by_name)
        by_surname: dict[str, set[str]] = defaultdict(set)
        for rule in self.rules["names"]:
            for name in [*rule["names"], *rule.get("ambiguous", [])]:
                by_surname[name.split(" ")[-1]].add(rule["kb_id"])
            for name in rule.get("ambiguous", []):
                kb_by_name.setdefault(name, rule["kb_id"])
        for surname, kb_ids in by_surname.items():
            if len(kb_ids) == 1 and surname[:1].isupper() and len(surname) > 2:
                kb_by_name.setdefault(surname, next(iter(kb_ids)))
        return kb_by_name

    def _standalone_surnames(self) -> tuple[dict[str, str], set[str]]:
        """Surnames that name one known person when they stand alone: those of Western-style
        full names, shared with no other person of the gazetteer, and not common title words."""
        owners: dict[str, set[str]] = defaultdict(set)
        western: dict[str, str] = {}
        ambiguous: set[str] = set()
        for rule in self.rules["names"]:
            forms = [rule["kb_id"], *rule["names"], *rule.get("ambiguous", [])]
            for name in forms:
                owners[name.split(" ")[-1]].add(rule["kb_id"])
            for name in forms:
                match = WESTERN_NAME_RE.fullmatch(name)
                if match is not None:
                    western.setdefault(match.group("surname"), rule["kb_id"])
            ambiguous.update(rule.get("ambiguous", []))
        surnames = {
            surname: kb_id
            for surname, kb_id in western.items()
            if len(owners[surname]) == 1 and len(surname) > 3 and surname not in self.not_names
        }
        return surnames, ambiguous & surnames.keys()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = [
            *self._after_titles(text),
            *self._after_roles(text),
            *self._signatures(text),
            *self._full_names(text),
            *self._speakers(text),
        ]
        spans = self.gazetteer(doc)
        for start, end, rule_id in found:
            span = self._span(doc, start, end, rule_id)
            if span is not None:
                spans.append(span)
        lower_words = set(LOWER_WORD_RE.findall(text))  # common words, to tell them from names
        spans.extend(self._propagate(doc, text, found, lower_words))
        spans.extend(self._surnames(doc, text, lower_words))
        spans = [with_trailing_initials(doc, text, span) for span in spans]
        name_knights_by_their_full_names(text, spans)
        complete_unknown_names(text, spans)
        span_group(doc).extend(spans)
        return doc

    def _span(self, doc: Doc, start: int, end: int, rule_id: str) -> Span | None:
        name = doc_text(doc)[start:end]
        return char_span(doc, start, end, label=PERSON, rule_id=rule_id, kb_id=self.kb_by_name.get(name, name))

    def _after_titles(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for match in self.title_re.finditer(text):
            rule = self.title_rule[match.group("title")]
            name = self._checked(match, "name")
            if name is None:
                continue
            found.append((*name, rule["id"]))
            if rule.get("plural"):
                position = match.end("name")
                while (more := LIST_RE.match(text, position)) is not None and (name := self._checked(more, "name")):
                    found.append((*name, rule["id"]))
                    position = more.end()
        return found

    def _after_roles(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for match in self.role_re.finditer(text):
            name = self._checked(match, "name")
            if name is not None:
                found.append((*name, self.role_rule[match.group("role")]))
        return found

    def _speakers(self, text: str) -> list[tuple[int, int, str]]:
        """Single names before a verb of saying: a known person's name or surname anywhere, an
        unknown word only inside a sentence (a capital at a sentence start proves nothing)."""
        found = []
        for match in self.speech_re.finditer(text):
            name = self._checked(match, "name")
            if name is None or " " in text[name[0]:name[1]]:
                continue
            if text[name[0]:name[1]] in self.kb_by_name or _inside_sentence(text, name[0]):
                found.append((*name, self.speech_rule[match.group("verb")]))
        return found

    def _full_names(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for match in FULL_NAME_RE.finditer(text):
            words = match.group("name").replace(",", "").split(" ")
            if words[0] in self.not_names or words[0].startswith("U.") or words[-1] in self.not_names:
                continue
            found.append((*match.span("name"), FULL_NAME_RULE))
        return found

    def _surnames(self, doc: Doc, text: str, lower_words: set[str]) -> list[Span]:
        spans = []
        present = self.surnames.keys() & set(CAPITALIZED_RE.findall(text))
        for name in (name for name in present if name.lower() not in lower_words):
            at = text.find(name)
            while at >= 0:
                match = CAPITALIZED_WORD_RE.match(text, at)
                start, at = at, text.find(name, at + 1)
                if match is None or match.group("name") != name or _after_capitalized_word(text, start):
                    continue
                if name in self.ambiguous_surnames and not _inside_sentence(text, start):
                    continue
                span = char_span(doc, start, match.end(), label=PERSON, rule_id=SURNAME_RULE, kb_id=self.surnames[name])
                if span is not None:
                    spans.append(span)
        return spans

    def _signatures(self, text: str) -> list[tuple[int, int, str]]:
        window_start = max(0, len(text.rstrip()) - SIGNATURE_WINDOW)
        found = []
        for match in SIGNATURE_RE.finditer(text, window_start):
            name = self._checked(match, "name")
            if name is not None and text[name[0]:name[1]] == match.group("name"):
                found.append((*name, SIGNATURE_RULE))
        return found

    def _checked(self, match: re.Match, group: str) -> tuple[int, int] | None:
        """The name's offsets with trailing non-name words dropped ("Acheson Said" -> "Acheson"),
        or ``None`` when what follows the title is not a name at all."""
        words = POSSESSIVE_RE.sub("", match.group(group)).split(" ")
        while words and words[-1] in self.not_names:
            words.pop()
        if not words or words[0] in self.not_names:
            return None
        start = match.start(group)
        return start, start + len(" ".join(words))

    def _propagate(self, doc: Doc, text: str, found: list[tuple[int, int, str]], lower_words: set[str]) -> list[Span]:
        """Tag the other occurrences of names found by titles, roles and signatures."""
        speaker_rules = set(self.speech_rule.values())
        names = {text[start:end] for start, end, rule_id in found if rule_id not in speaker_rules}
        names |= {text[start:end] for start, end, rule_id in found if rule_id in speaker_rules} & self.kb_by_name.keys()
        # A guess from context alone is not repeated through the document (speakers above), nor
        # is a single word that the document also writes in lower case: a common word, not a name.
        surfaces = set()
        for name in names:
            if " " not in name and name.lower() in lower_words:
                continue
            surfaces.add(name)
            surname = name.split(" ")[-1]
            if surname != name and len(surname) > 2 and surname not in self.not_names:
                surfaces.add(surname)
        if not surfaces:
            return []
        pattern = re.compile(rf"(?<![\w.]){alternation(surfaces)}(?![\w])")
        spans = []
        for match in pattern.finditer(text):
            span = self._span(doc, match.start(), match.end(), PROPAGATED_RULE)
            if span is not None:
                span.kb_id_ = self.kb_by_name.get(match.group(0), match.group(0))
                spans.append(span)
        surnames = {name for name in surfaces if " " not in name}
        spans.extend(self._given_names(doc, text, surnames, lower_words))
        return spans

    def _given_names(self, doc: Doc, text: str, surnames: set[str], lower_words: set[str]) -> list[Span]:
        """The full form of a surname found by context, where the document writes it: a memo
        that says "my letter to Allen Griffin" and "Mr. Griffin" names Allen Griffin."""
        spans = []
        for surname in surnames:
            at = text.find(" " + surname)
            while at >= 0:
                before = GIVEN_NAME_BEFORE_RE.search(text, max(0, at - 40), at + 1)
                after = SURNAME_END_RE.match(text, at + 1 + len(surname))
                at = text.find(" " + surname, at + 1)
                if before is None or after is None:
                    continue
                given = before.group("given")
                if given in self.not_names or given.lower() in lower_words:
                    continue
                span = self._span(doc, before.start(), after.end(), FULL_NAME_RULE)
                if span is not None:
                    spans.append(span)
        return spans


@Language.factory("archival_people", assigns=["doc.spans"], default_config={})
def make_people(nlp: Language, name: str) -> PeopleRuler:
    return PeopleRuler(nlp, name)
