"""From a news report to a draft event table: ``kg extract`` and :func:`extract`.

The analyst's chore before ``kg ingest``: read a report and code its statements as events. The
extraction proposes them, one row an event, in the event-table format of
:mod:`kg._ingestion.table` plus the columns extraction adds (see :data:`DRAFT_COLUMNS`):
``sentence`` (its number), ``sentence_start``/``sentence_end`` (character offsets in the text),
``rule`` (the rule that fired), ``cameo``, ``claim``, ``attributed_to`` (who said it, verbatim),
``date_text`` (the words the date came from), ``confidence`` and ``review`` (what to check).
The analyst corrects the draft and ingests it with ``kg ingest draft.csv``.

How it reads a report:

- **Lemmas** and the English check by simplemma (its data ships in the wheel: nothing is
  downloaded at run time); **sentences** by a short rule set (:func:`kg._extract._text.sentences`).
  The text before a dateline (``ANKARA, Turkey —``) is the headline and standfirst: skipped, as it
  restates the body.
- **Actors** by label and alias of the graph's actors (:mod:`kg._actors`), by the names, demonyms
  and capitals of states (``kg/_ingestion/countries.tsv``, ``kg/_extract/states.tsv``), by a title
  before a name ("Foreign Minister Ana Ruiz": a new person) and by organisation words ("the
  African Union": a new organisation). New actors carry a kind in ``actor_kind``/``target_kind``.
- **Relations** by the rules of ``kg/_extract/rules.toml``: each a pattern over the lemmas keyed to
  a relation type of ``ontology/relations.ttl`` and its CAMEO code, with a test sentence. Passive
  voice ("was blamed by X on Y") swaps actor and target; a negated verb ("did not expel") gives
  no event (the sentence is listed as skipped, with the reason); a hedge ("reportedly") lowers
  the confidence and is named in ``review``; accusations, denials and endorsements carry a
  ``claim`` and never state what is claimed as a fact ("accused X of attacking" is no attack).
- **Dates** against the publication day: "on Tuesday" is the last Tuesday on or before it, "on
  October 7" the last such day; an event dated only by when it was said takes that day; the
  present perfect ("has blamed") spans the day in context to publication; the past perfect and
  "previously" span the report's earliest day to the day said; precision is kept
  (``date_precision`` ``day`` or ``interval`` with ``end_date``).
- **Quote**: the one sentence the event rests on, verbatim (cut to its clause when over 400
  characters, and flagged).

Every row's ``source`` is the report's URL: the stable key that lets a corrected draft replace the
events of an earlier one.
"""

from kg._extract._extract import DRAFT_COLUMNS, Draft, DraftRow, Skipped, extract
from kg._extract._rules import RULES_FILE, Rule, load_rules

__all__ = ["DRAFT_COLUMNS", "RULES_FILE", "Draft", "DraftRow", "Rule", "Skipped", "extract", "load_rules"]
