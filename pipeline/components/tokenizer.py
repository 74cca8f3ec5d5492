"""The pipeline's tokenizer: spaCy's English tokenizer with a few extra split points.

Entity boundaries in the period's documents fall where the default tokenizer keeps one token:
"August 14, 1955—9:27 p.m." has the date end inside "1955—9:27", and "1950–51" hides a range.
Splitting on dashes between characters gives every label boundary a token boundary. The saved
pipeline stores the compiled infix pattern, so a loaded model tokenizes exactly as a built one.
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, registry

#: Figure, en and em dashes and the horizontal bar split tokens wherever they stand.
DASH_INFIX = r"[\u2012\u2013\u2014\u2015]"
#: A slash after a letter ("Kaesong/Panmunjom"); numeric dates such as 6/13/51 stay whole.
SLASH_INFIX = r"(?<=[A-Za-z])/(?=[A-Za-z0-9])"


@registry.tokenizers("archival.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    def make_tokenizer(nlp: Language) -> Tokenizer:
        tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        infixes = list(nlp.Defaults.infixes or []) + [DASH_INFIX, SLASH_INFIX]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return tokenizer

    return make_tokenizer
