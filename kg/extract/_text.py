"""Sentences, tokens, lemmas and dates of a report: the NLP layer of :mod:`kg.extract`.

Sentence boundaries come from pysbd (rule-based, nothing to download), lemmas and the language
check from simplemma (its dictionaries ship in the wheel). Dates are read relative to the day
the report was published.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import warnings
from dataclasses import dataclass
from functools import cache

import simplemma

with warnings.catch_warnings():  # pysbd 0.3.4 has regexes with invalid escapes (DeprecationWarning)
    warnings.simplefilter("ignore")
    import pysbd

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


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[Sentence]:
    r"""Return the sentences of ``text`` with their offsets, line by line (a line is a paragraph).

    Examples
    --------
    >>> [s.text for s in sentences("Mr. Lavrov met Mr. Blinken. They spoke.\nA new line")]
    ['Mr. Lavrov met Mr. Blinken.', 'They spoke.', 'A new line']
    """
    found: list[Sentence] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        at = 0
        for piece in _segmenter().segment(line) if line.strip() else []:
            piece = piece.strip()
            if not piece:
                continue
            where = line.find(piece, at)
            if where < 0:  # pysbd changed the text: keep the rest of the line as it is
                where, piece = at, line[at:].strip()
            found.append(Sentence(len(found) + 1, offset + where, offset + where + len(piece), piece))
            at = where + len(piece)
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

    def token_from_char(self, char: int) -> int:
        """Return the index of the first token that starts at or after ``char`` in the sentence."""
        return bisect.bisect_left([s for s, _ in self.spans], char)


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
            day = _year_for(_MONTHS[match.group("mon").lower().rstrip(".")], int(match.group("day")),
                            published, match.group("year"))
        elif match.group("mon2"):
            day = _year_for(_MONTHS[match.group("mon2").lower().rstrip(".")], int(match.group("day2")),
                            published, match.group("year2"))
        else:
            rel = match.group("rel").lower()
            day = published - dt.timedelta(days=1 if rel in ("yesterday", "last night") else 0)
        if day is not None:
            found.append(DateMention(match.start(), match.end(), match.group(), day))
    return found
