"""Sentences, tokens, lemmas and dates of a report: the NLP layer of :mod:`kg._extract`.

Lemmas and the language check come from simplemma (its dictionaries ship in the wheel: nothing is
downloaded at run time). Sentence boundaries are a short rule set of this module (a full stop,
question or exclamation mark before a capital, not after an abbreviation or an initial): pysbd
was tried and left out, as its wheel installs a top-level ``benchmarks`` package that shadows this
repository's. Dates are read relative to the day the report was published.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

import simplemma

__all__ = ["DateMention", "Sentence", "Tokens", "english_share", "find_dates", "sentences"]

_TOKEN = re.compile(r"['’]s\b|\w+(?:[-']\w+)*|[^\w\s]")
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_WD = "|".join(calendar.day_name)
_MON = "|".join([*calendar.month_name[1:], *[m + r"\.?" for m in calendar.month_abbr[1:]]])
_DATE = re.compile(
    rf"(?:\b(?:[Ll]ate|[Ee]arly) )?(?:\b(?:[Oo]n|[Bb]y|[Ss]ince|[Ff]rom) )?\b(?P<wd>{_WD})\b"
    r"(?: (?:night|morning|evening|afternoon))?"
    rf"|(?:\b[Oo]n )?\b(?P<mon>{_MON}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<year>\d{{4}}))?"
    rf"|(?:\b[Oo]n )?\b(?P<day2>\d{{1,2}}) (?P<mon2>{_MON})(?: (?P<year2>\d{{4}}))?\b"
    r"|\b(?P<rel>yesterday|today|last night|tonight|this morning)\b"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the report: its number (from 1), character offsets and verbatim text."""

    number: int
    start: int
    end: int
    text: str


# Words a full stop follows inside a sentence (titles, months, "U.S.", "a.m."), lower-case.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st jr sr inc ltd co corp no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u a.m p.m i.e e.g approx est".split()
)
_END = re.compile(r"[.!?][’”\"')\]]*(?=\s+[‘“\"'(\[]?[A-Z0-9])")


def _split(line: str) -> list[tuple[int, int]]:
    """Return the (start, end) of the sentences of one line (a paragraph)."""
    spans, start = [], 0
    for match in _END.finditer(line):
        before = line[: match.end()]
        if before.count("“") > before.count("”") or before.count('"') % 2:
            continue  # inside a quotation: “Our efforts continue. We will continue,” he said.
        if match.group()[0] == ".":
            word = re.search(r"([\w.]+)$", line[start : match.start()])
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
                continue  # "Mr. Lavrov", "J. Smith", "the U.S. envoy"
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line)))
    return [
        (a + len(line[a:b]) - len(line[a:b].lstrip()), b - (len(line[a:b]) - len(line[a:b].rstrip())))
        for a, b in spans
        if line[a:b].strip()
    ]


def sentences(text: str) -> list[Sentence]:
    r"""Return the sentences of ``text`` with their offsets, line by line (a line is a paragraph).

    Examples
    --------
    >>> [s.text for s in sentences("Mr. Lavrov met the U.S. envoy. “We spoke.” He left.\nA new line")]
    ['Mr. Lavrov met the U.S. envoy.', '“We spoke.”', 'He left.', 'A new line']
    """
    found: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        for start, end in _split(line):
            found.append(Sentence(len(found) + 1, offset + start, offset + end, line[start:end]))
        offset += len(line)
    return found


def english_share(text: str) -> float:
    """Return the share (0 to 1) of the words of ``text`` that simplemma knows as English."""
    return float(simplemma.in_target_language(text, lang="en"))


def lemma(word: str) -> str:
    """Return the lemma of one word, lower-case (``"recalled"`` -> ``"recall"``)."""
    return str(simplemma.lemmatize(word.lower(), lang="en")).lower()


class Tokens:
    """The tokens of a sentence with their lemmas, and the sentence written as its lemmas.

    ``lemmas`` joins the lemmas with single spaces; :meth:`token_at` maps a position in it back
    to a token, whose ``spans`` give the offsets in the sentence.
    """

    def __init__(self, text: str):
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        for match in _TOKEN.finditer(text):
            self.words.append(match.group())
            self.spans.append(match.span())
        self.lemmas_of = [lemma(w) if w[0].isalnum() else w for w in self.words]
        self.starts: list[int] = []
        pieces: list[str] = []
        at = 0
        for word in self.lemmas_of:
            self.starts.append(at)
            pieces.append(word)
            at += len(word) + 1
        self.lemmas = " ".join(pieces)

    def token_at(self, position: int) -> int:
        """Return the index of the token the lemma string has at ``position``."""
        return max(0, bisect.bisect_right(self.starts, position) - 1)


@dataclass(frozen=True)
class DateMention:
    """A date the text names: where (offsets in its sentence), its words, and the day it means."""

    start: int
    end: int
    text: str
    day: dt.date


def _year_for(month: int, day: int, published: dt.date, year: str | None) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        found = dt.date(published.year, month, day)
        return found if found <= published else dt.date(published.year - 1, month, day)
    except ValueError:
        return None


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Return the dates ``text`` names, read against the publication day.

    A weekday is the last such day on or before publication ("on Tuesday" in a Thursday report
    is two days earlier); a month and day without a year is the last one on or before it.

    Examples
    --------
    >>> thursday = dt.date(2023, 10, 19)
    >>> [(d.text, str(d.day)) for d in find_dates("late on Tuesday and on October 7", thursday)]
    [('late on Tuesday', '2023-10-17'), ('on October 7', '2023-10-07')]
    """
    found: list[DateMention] = []
    for match in _DATE.finditer(text):
        day: dt.date | None
        if match.group("wd"):
            back = (published.weekday() - _WEEKDAYS[match.group("wd").lower()]) % 7
            day = published - dt.timedelta(days=back)
        elif match.group("mon"):
            day = _year_for(
                _MONTHS[match.group("mon").lower().rstrip(".")], int(match.group("day")), published, match.group("year")
            )
        elif match.group("mon2"):
            day = _year_for(
                _MONTHS[match.group("mon2").lower().rstrip(".")],
                int(match.group("day2")),
                published,
                match.group("year2"),
            )
        else:
            rel = match.group("rel").lower()
            day = published - dt.timedelta(days=1 if rel in ("yesterday", "last night") else 0)
        if day is not None:
            found.append(DateMention(match.start(), match.end(), match.group(), day))
    return found
