"""Finding the named mechanisms a report mentions: candidates for a curator to judge.

One module per concern (docs/extract.md explains every rule with examples):

- :mod:`~polcat.extract.text`: cleaning the text (pinyin annotations, mojibake,
  reference marks, ASCII quotes, half-width punctuation) with offsets to the original;
- :mod:`~polcat.extract.lexicon`: the word lists and the dictionary that informs them;
- :mod:`~polcat.extract.shapes`: what a label's form says (X+Y, number codes, parallel
  clauses) and what rules it out (speech, roles, honours, idioms, questions);
- :mod:`~polcat.extract.quotes`: quotations and the evidence around them;
- :mod:`~polcat.extract.unquoted`: names standing without quotation marks;
- :mod:`~polcat.extract.counted`: components and counted headings;
- :mod:`~polcat.extract.judge`: weighing every use of a label;
- :mod:`~polcat.extract.learned`: the learned judgement (a model over the rules'
  evidence; measured, not the default);
- :mod:`~polcat.extract.place`: the report's place and each candidate's;
- :mod:`~polcat.extract.annotate`: candidates against a catalogue.

Everything up to the judging is a pure function of the text; places come from the
shipped gazetteer; only :func:`annotate` needs a catalogue.
"""

from __future__ import annotations

from polcat.extract.annotate import (
    annotate,
    extract,
    extract_with_set_aside,
    identify_source,
    match_known,
    name_index,
    places_agree,
    same_name,
    variant_key,
)
from polcat.extract.candidate import Candidate
from polcat.extract.judge import candidates_in, find_candidates
from polcat.extract.place import report_place
from polcat.extract.quotes import quotations
from polcat.extract.shapes import form_veto, is_number_code, is_parallel, is_plus_model, leading_count
from polcat.extract.text import Cleaned, clean, label_key, normalise, sentence_at, simplified

__all__ = [
    "Candidate",
    "Cleaned",
    "annotate",
    "candidates_in",
    "clean",
    "extract",
    "extract_with_set_aside",
    "find_candidates",
    "form_veto",
    "identify_source",
    "is_number_code",
    "is_parallel",
    "is_plus_model",
    "label_key",
    "leading_count",
    "match_known",
    "name_index",
    "normalise",
    "places_agree",
    "quotations",
    "report_place",
    "same_name",
    "sentence_at",
    "simplified",
    "variant_key",
]
