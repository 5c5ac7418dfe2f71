"""The extraction itself: sentences to draft rows through the rules, mentions and dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg._actors import actor_index
from kg._errors import InputError
from kg._extract._mentions import KIND_NAMES, Entry, Gazetteer, Mention
from kg._extract._rules import Rule, after_words, load_rules
from kg._extract._text import DateMention, Sentence, Tokens, english_share, find_dates, sentences
from kg._files import atomic_write
from kg._ingestion import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ingest, output_path
from kg._namespace import DIP
from kg._store import Store

__all__ = ["DRAFT_COLUMNS", "Draft", "DraftRow", "Skipped", "extract"]

log = logging.getLogger(__name__)

_PREPOSITIONS = {
    "from",
    "with",
    "in",
    "of",
    "to",
    "by",
    "on",
    "at",
    "against",
    "over",
    "toward",
    "towards",
    "between",
    "for",
    "into",
    "outside",
    "near",
    "about",
    "after",
    "under",
    "among",
    "than",
    "like",
}
_DETERMINERS = {"a", "an", "the", "its", "his", "her", "their", "these", "those", "this", "our"}
_NEGATIONS = {"not", "n't", "never", "no"}
_AUXILIARIES = {
    "has",
    "have",
    "having",
    "had",
    "was",
    "were",
    "is",
    "are",
    "will",
    "would",
    "did",
    "does",
    "said",
    "says",
    "told",
}
_IRREGULAR = {"told", "met", "sent", "hit", "left", "saw", "gave", "took", "held", "struck", "urged", "fought"}
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|apparently|purportedly|(?:is|was|were|are) (?:said|believed|"
    r"reported|thought) to|according to)\b",
    re.IGNORECASE,
)
_CLAIM_CUE = re.compile(
    r"\b(?:accus\w*|blam\w*|claim\w*|alleg\w*|show(?:ed|n)? that|den(?:y|ied|ies)|refut\w*)\b", re.IGNORECASE
)
_RELATIVE = re.compile(r"\b(?:that|which|who|whom)\b|;")
_PAST_MARKER = re.compile(r"\b(?:previously|earlier|in the past)\b", re.IGNORECASE)
_SAY = re.compile(r"\b(?:said|says|told|tells|announced|stated)\b")
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,[^—–\n]{0,40}?)?\s+[—–-]{1,2}\s+")
_ATTRIBUTION = (
    re.compile(r"(?:,|—)\s*(?P<who>[^,“”\"]{3,70}?)\s+(?:told|said|says|tells|announced)\b"),
    re.compile(r"\b(?:said|says|told)\s+(?P<who>(?:the|a|an)\s[^,.;“”\"]{3,60})"),
    re.compile(r"\baccording to (?P<who>[^,.;“”\"]{3,60})"),
    re.compile(r"^(?:On \w+, )?(?P<who>[^,“”\"]{3,70}?)\s+(?:said|says|told|announced)\b"),
)
_ANAPHORS = re.compile(r"\b(?:his|her|its|their) country\b|\bthe country\b")

DRAFT_COLUMNS = (
    "date",
    "actor",
    "relation",
    "target",
    "source",
    "quote",
    "actor_kind",
    "target_kind",
    "date_precision",
    "end_date",
    "note",
    "confidence",
    "sentence",
    "sentence_start",
    "sentence_end",
    "rule",
    "cameo",
    "claim",
    "attributed_to",
    "date_text",
    "review",
)
"""The draft's columns: the event table's (``kg ingest`` reads them) and those extraction adds."""


@dataclass
class DraftRow:
    """One proposed event: the event-table columns and what the extraction adds."""

    date: str
    actor: str
    relation: str
    target: str
    source: str
    quote: str
    actor_kind: str = ""
    target_kind: str = ""
    date_precision: str = "day"
    end_date: str = ""
    note: str = ""
    confidence: str = ""
    sentence: int = 0
    sentence_start: int = 0
    sentence_end: int = 0
    rule: str = ""
    cameo: str = ""
    claim: str = ""
    attributed_to: str = ""
    date_text: str = ""
    review: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        """Return (actor, relation, targets, date, end date): what makes two rows the same event."""
        return self.actor, self.relation, self.target, self.date, self.end_date


@dataclass(frozen=True)
class Skipped:
    """A sentence no event came from, and why."""

    sentence: int
    start: int
    end: int
    reason: str
    text: str


@dataclass
class Draft:
    """The draft of one report: proposed rows, skipped sentences, and the report's identity.

    ``source`` (the report's URL) is in every row's ``source`` column: it is the stable key of
    the report, so a corrected draft can replace the events of an earlier one.
    """

    source: str
    published: dt.date
    rows: list[DraftRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def to_csv(self, *, columns: Sequence[str] = DRAFT_COLUMNS) -> str:
        """Return the draft as an event table (CSV with a header) that ``kg ingest`` reads."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in self.rows:
            writer.writerow([getattr(row, name, "") for name in columns])
        return out.getvalue()

    def to_turtle(self, *, data: Sequence[str | Path] = (), default: bool = True) -> str:
        """Return the draft's events as Turtle, as ``kg ingest`` would write them.

        Names resolve as :func:`kg.ingest` resolves them (the default graph and ``data``); actors
        the graph lacks are created with the kind the draft proposes.
        """
        with tempfile.TemporaryDirectory(prefix="kg-extract-") as folder:
            table = Path(folder) / "draft.csv"
            table.write_text(self.to_csv(columns=(*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)), encoding="utf-8")
            if not self.rows:
                return ""
            ingest(table, out_dir=Path(folder) / "out", data=data, default=default)
            return output_path(table, Path(folder) / "out").read_text(encoding="utf-8")

    def write(
        self,
        path: str | Path,
        *,
        format: str = "csv",
        overwrite: bool = False,
        data: Sequence[str | Path] = (),
        default: bool = True,
    ) -> Path:
        """Write the draft to ``path`` (``format`` ``"csv"`` or ``"ttl"``), whole or not at all.

        Raises
        ------
        InputError
            When ``path`` exists and ``overwrite`` is False (a draft may hold an analyst's
            corrections), its folder is missing, or the format is unknown.
        """
        path = Path(path)
        if format not in ("csv", "ttl"):
            raise InputError(f"format {format!r} is not csv or ttl")
        if path.exists() and not overwrite:
            raise InputError(
                f"{path} exists; a draft may hold corrections: choose another name, or overwrite it "
                "on purpose (overwrite=True)"
            )
        text = self.to_csv() if format == "csv" else self.to_turtle(data=data, default=default)

        def write(temporary: Path) -> None:
            temporary.write_text(text, encoding="utf-8")

        atomic_write(path, write)
        return path


@dataclass
class _Group:
    mentions: list[Mention]

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    def entries(self) -> list[Entry]:
        seen: dict[str, Entry] = {}
        for mention in self.mentions:
            seen.setdefault(mention.entry.iri or mention.entry.name, mention.entry)
        return list(seen.values())


class _Context:
    """What one sentence offers the rules: its tokens, mentions and dates."""

    def __init__(
        self, sentence: Sentence, body: int, gazetteer: Gazetteer, published: dt.date, last_state: Entry | None
    ):
        self.sentence, self.text, self.gaz = sentence, sentence.text, gazetteer
        self.body = body  # where the sentence proper starts (after a dateline)
        self.tokens = Tokens(self.text)
        mentions = [m for m in gazetteer.find(self.text) if m.start >= body]
        first_person = next((m.entry for m in mentions if m.entry.kind == "Person" and m.entry.state), None)
        for match in _ANAPHORS.finditer(self.text):
            state = None
            if match.group().startswith("the"):
                named = [m.entry for m in mentions if m.end <= match.start() and m.entry.kind == "State"]
                state = named[-1] if named else last_state
            elif first_person is not None:
                state = gazetteer.entry(first_person.state)
            if state is None:
                state = last_state
            if state is not None and not any(m.start < match.end() and match.start() < m.end for m in mentions):
                mentions.append(Mention(match.start(), match.end(), match.group(), state))
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.dates = [d for d in find_dates(self.text, published) if d.start >= body]

    # ---------------------------------------------------------------- groups of actors

    def _joins(self, left: Mention, right: Mention) -> str:
        between = self.text[left.end : right.start]
        if not between.strip():
            return "head"  # "Chilean President Marta Vidal": the later name is the head
        if re.fullmatch(r"\s*(?:,|,? and|,? or|&|as well as)\s*(?:the\s+)?", between, re.IGNORECASE):
            return "list"
        if re.fullmatch(r"-", between):
            return "list"  # "the Israel-Hamas war"
        return ""

    def group_from(self, index: int) -> _Group:
        members = [self.mentions[index]]
        commas: list[int] = []  # where members joined by a bare comma start: a list needs an "and"
        i = index
        while i + 1 < len(self.mentions):
            join = self._joins(self.mentions[i], self.mentions[i + 1])
            if not join:
                break
            if join == "head":
                members[-1] = self.mentions[i + 1]
            else:
                if not re.search(r"\b(?:and|or)\b|&|-", self.text[self.mentions[i].end : self.mentions[i + 1].start]):
                    commas.append(len(members))
                else:
                    commas.clear()
                members.append(self.mentions[i + 1])
            i += 1
        if commas:
            members = members[: commas[0]]
        return _Group(members)

    def group_before(self, index: int) -> _Group:
        members = [self.mentions[index]]
        i = index
        while i > 0:
            join = self._joins(self.mentions[i - 1], self.mentions[i])
            if join != "list":
                break
            between = self.text[self.mentions[i - 1].end : self.mentions[i].start]
            if (
                "," in between
                and not re.search(r"\b(?:and|or)\b|&", self.text[self.mentions[i].start : members[-1].end])
                and not re.search(r"\b(?:and|or)\b", between)
            ):
                break
            members.insert(0, self.mentions[i - 1])
            i -= 1
        return _Group(members)

    def _word_before(self, char: int) -> str:
        words = re.findall(r"[\w'’]+", self.text[max(self.body, char - 30) : char])
        return words[-1].lower() if words else ""

    def _is_object(self, mention: Mention) -> bool:
        after = re.match(r"\s*([\w'’]+)", self.text[mention.end :])
        if after is not None and after.group(1).lower() in _AUXILIARIES:
            return False  # "with the Jewish state having already advised ...": a subject
        before = self._word_before(mention.start)
        return before in _PREPOSITIONS or before.endswith("ed") or before in _IRREGULAR

    def subject(self, before: int, *, floor: int | None = None) -> _Group | None:
        """Return the nearest group before ``before`` that is no preposition's or verb's object."""
        start = self.body if floor is None else floor
        boundaries = [m.end() for m in _RELATIVE.finditer(self.text, start, before)]
        clause = boundaries[-1] if boundaries else start
        for lower in (clause, None):
            candidates = [i for i, m in enumerate(self.mentions) if (lower or start) <= m.start and m.end <= before]
            for i in reversed(candidates):
                head = self.group_from(i)
                if head.end > before:
                    continue
                group = self.group_before(i)
                if not self._is_object(group.mentions[0]) and not self._is_object(self.mentions[i]):
                    return None if self._unknown_name(head.end, before) else group
            if lower is None or not boundaries:
                break
            # a relative clause with no subject of its own: its antecedent ("Hamas, the group that ...")
            word = self.text[boundaries[-1] - 5 : boundaries[-1]].strip().lower()
            if word.endswith(("that", "which", "who")):
                before_word = [i for i, m in enumerate(self.mentions) if m.end <= boundaries[-1] - len(word)]
                gap = self.text[self.mentions[before_word[-1]].end : boundaries[-1] - len(word)] if before_word else "x"
                if not gap.strip(" ,"):
                    return self.group_before(before_word[-1])
            # "Uganda said on Monday that ... and accused Kenya": the subject of the saying
            first = list(_RELATIVE.finditer(self.text, start, before))[-1]
            if (
                first is None
                or first.group() != "that"
                or not _SAY.search(self.text, max(start, first.start() - 25), first.start())
            ):
                return None
            if not re.search(r"\band\s+(?:\w+ly\s+)?$", self.text[:before]):
                return None
            return self.subject(first.start(), floor=start) if first.start() > start else None
        return None

    def _unknown_name(self, start: int, end: int) -> bool:
        """Return True when a capitalised word no mention or date covers lies between (a name unknown)."""
        covered = [(m.start, m.end) for m in self.mentions] + [(d.start, d.end) for d in self.dates]
        for word in re.finditer(r"\b[A-Z][\w'’-]*", self.text[start:end]):
            at = start + word.start()
            if word.group() != "I" and not any(low <= at < high for low, high in covered):
                return True
        return False

    def group_after(self, after: int, *, limit: int = 80) -> _Group | None:
        """Return the first group starting after ``after`` in the same clause (no comma between)."""
        for i, mention in enumerate(self.mentions):
            if mention.start < after:
                continue
            between = self.text[after : mention.start]
            if len(between) > limit or re.search(r",\s|[;:]|\b(?:which|who|while|when|after|before)\b", between):
                return None
            return self.group_from(i)
        return None

    def word_after(self, words: Sequence[str], after: int) -> int | None:
        """Return where the first of ``words`` after ``after`` ends, in the same clause, or None."""
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
        match = pattern.search(self.text, after)
        if match is None or re.search(r"[;:]", self.text[after : match.start()]):
            return None
        return match.end()


def _states(context: _Context, group: _Group | None, start: int, end: int) -> list[Entry]:
    found: list[Entry] = []
    for entry in group.entries() if group else []:
        if entry.kind == "State":
            found.append(entry)
        elif entry.state and (state := context.gaz.entry(entry.state)) is not None:
            found.append(state)
    if not found and group is not None:
        found = [m.entry for m in context.gaz.states_in(context.text, group.start, group.end)]
    return list({e.name: e for e in found}.values())


@dataclass
class _Event:
    rule: Rule
    actors: list[Entry]
    targets: list[Entry]
    verb: int
    verb_end: int
    start: int
    end: int
    flags: list[str]


def _matches(rule: Rule, context: _Context) -> list[tuple[int, int, int, int]]:
    """Return (verb start, verb end, match start, match end) in sentence characters for each match."""
    tokens = context.tokens
    found = []
    for match in rule.pattern.finditer(tokens.lemmas):
        if match.start() and tokens.lemmas[match.start() - 1] != " ":
            continue
        group = next((g for g in ("v", "v2", "v3") if g in rule.pattern.groupindex and match.group(g) is not None), "v")
        span = match.span(group) if match.group(group) is not None else match.span()
        if tokens.token_at(span[0]) > 0 and tokens.words[tokens.token_at(span[0])][0].isupper():
            continue  # a name, not the verb ("March 12", "Protest Party")
        first, verb, verb_last, last = (
            tokens.token_at(match.start()),
            tokens.token_at(span[0]),
            tokens.token_at(max(span[0], span[1] - 1)),
            tokens.token_at(max(match.start(), match.end() - 1)),
        )
        found.append((tokens.spans[verb][0], tokens.spans[verb_last][1], tokens.spans[first][0], tokens.spans[last][1]))
    return found


def _noun_use(context: _Context, verb: int) -> bool:
    """Return True when the trigger word is a noun ("an unprecedented assault", "these attacks")."""
    words = re.findall(r"[\w'’]+", context.text[max(0, verb - 40) : verb].lower())[-2:]
    adjective = ("ed", "al", "ous", "ive", "ful", "ic", "ent", "ant", "ary", "ble", "ish", "less")
    return bool(words) and (
        words[-1] in _DETERMINERS or (len(words) == 2 and words[0] in _DETERMINERS and words[1].endswith(adjective))
    )


def _negated(context: _Context, start: int) -> str:
    words = re.findall(r"[\w']+|n't", context.text[max(0, start - 30) : start].lower().replace("’", "'"))[-4:]
    hit = [w for w in words if w in _NEGATIONS or w.endswith("n't")]
    return " ".join(words) if hit else ""


def _event(rule: Rule, context: _Context, verb: int, verb_end: int, start: int, end: int) -> _Event | str:
    """Return the event a rule match states, or why there is none."""
    text = context.text
    flags: list[str] = []
    if rule.relation != "clashesWith" and _noun_use(context, verb):
        return ""
    negation = _negated(context, start)
    if negation:
        return f"negated ({negation!r} before {text[verb:end]!r}): no event"
    if not rule.claim and _CLAIM_CUE.search(text, context.body, start):
        return f"{text[verb:end]!r} is inside what someone claims: not a fact"
    modal = re.search(
        r"\b(would|will|could|may|might|should|plans? to|intends? to|(?:is|are) expected to|"
        r"threatened to|vowed to|offered to)\s+(?:\w+\s+){0,2}$",
        text[max(0, start - 40) : start].lower(),
    )
    if modal is not None:
        flags.append(f"modal ({modal.group(1)!r}): a plan, offer or possibility; check that it happened")
    words_before = re.findall(r"[\w'’]+", text[max(0, start - 25) : start].lower())[-3:]
    passive = (
        any(w in ("was", "were", "been", "be", "is", "are") for w in words_before)
        and re.match(r"\s*by\b", text[end:]) is not None
    )
    actor: _Group | None
    target: _Group | None = None
    if rule.actor == "speaker":
        actor = context.subject(start)
        first = [i for i, m in enumerate(context.mentions) if m.start >= context.body]
        if first:
            group = context.group_from(first[0])
            if not context._is_object(group.mentions[0]):
                actor = group
    elif rule.actor.startswith("after:"):
        at = context.word_after(after_words(rule.actor), verb)
        actor = context.group_after(at) if at is not None else None
        if actor is not None and rule.target.startswith("after:") and "and" in after_words(rule.target):
            actor = _Group(actor.mentions[:1])  # "clashes between police and protesters"
    elif passive:
        at = context.word_after(("by",), end)
        actor = context.group_after(at) if at is not None else None
        if rule.passive_target and actor is not None:
            at = context.word_after((rule.passive_target,), actor.end)
            target = context.group_after(at) if at is not None else None
        if target is None and rule.target != "none":
            target = context.subject(start)
        flags.append("passive")
    else:
        actor = context.subject(verb)
    if actor is None:
        return f"no recognisable actor for {text[verb:end]!r}"
    if rule.target_is_subject:
        later = [i for i, m in enumerate(context.mentions) if m.start >= actor.end and not context._is_object(m)]
        target = context.group_from(later[0]) if later else None
    elif target is None and rule.target == "object":
        target = context.group_after(verb_end)
    elif target is None and rule.target.startswith("after:"):
        at = context.word_after(after_words(rule.target), verb)
        if at is not None:
            target = context.group_after(at)
    if rule.target_state and target is not None:
        targets = _states(context, target, end, len(text))
    elif rule.target_state and rule.target.startswith("after:"):
        at = context.word_after(after_words(rule.target), verb)
        targets = [m.entry for m in context.gaz.states_in(text, at, min(len(text), at + 60))][:1] if at else []
    else:
        targets = target.entries() if target is not None else []
    if rule.target_state and not targets:  # "some 200 Israeli hostages the group is holding"
        targets = [m.entry for m in context.gaz.states_in(text, start, end) if not actor.start <= m.start < actor.end][
            :1
        ]
    actors = actor.entries()
    names = {a.name for a in actors}
    targets = [t for t in targets if t.name not in names]
    if rule.target != "none" and not targets:
        flags.append("no target found")
    return _Event(rule, actors, targets, verb, verb_end, start, end, flags)


@dataclass
class _Dating:
    date: dt.date
    end: dt.date | None
    text: str
    how: str


def _date(context: _Context, event: _Event, published: dt.date, horizon: dt.date, carried: dt.date | None) -> _Dating:
    text, verb = context.text, event.verb
    relatives = [m.start() for m in _RELATIVE.finditer(text)]

    def between(date: DateMention) -> str:
        return text[date.end : verb] if date.start < verb else text[event.verb_end : date.start]

    def same_clause(date: DateMention) -> bool:
        low, high = (date.end, verb) if date.start < verb else (event.verb_end, date.start)
        return not any(low <= r < high for r in relatives)

    said = [
        d
        for d in context.dates
        if _SAY.search(text, max(0, d.start - 25), d.start) or _SAY.search(text, d.end, d.end + 12)
    ]
    own = [
        d
        for d in context.dates
        if same_clause(d)
        and (d in said or d.start == context.body or (not re.search(r",\s", between(d)) and len(between(d)) <= 80))
    ]
    others = [d for d in context.dates if d not in own]
    clause_start = max([context.body, *[r for r in relatives if r < event.start]])
    clause_end = min([len(text), *[r for r in relatives if r > event.verb_end]])
    before = text[clause_start : event.start].lower()
    perfect = re.search(r"\b(?:has|have|having)\b", before) is not None
    past_perfect = re.search(r"\bhad\s+(?:\w+\s+){0,2}$", text[clause_start : event.start].lower()) is not None or (
        event.rule.target_is_subject and re.search(r"\bhad\b", text[clause_start:clause_end]) is not None
    )
    if own:
        nearest = min(own, key=lambda d: min(abs(d.start - verb), abs(d.end - verb)))
        if past_perfect and nearest in said:
            return _Dating(horizon, nearest.day, nearest.text, "before the day it was said")
        return _Dating(nearest.day, None, nearest.text, "")
    if past_perfect:
        end = said[0].day if said else published
        return _Dating(horizon, end, said[0].text if said else "", "before the day it was said")
    if _PAST_MARKER.search(text):
        # "previously": before the report's day, so at the latest the day before it (as the graph
        # encodes "Ankara was previously involved": dip:before the article's date)
        return _Dating(
            horizon,
            max(horizon, published - dt.timedelta(days=1)),
            _PAST_MARKER.search(text).group(),
            "before publication",
        )  # type: ignore[union-attr]
    context_day = others[0].day if others else carried
    if event.rule.relation == "maintainsTiesWith" and not perfect:
        return _Dating(published, None, "", "observed on the publication day")
    if perfect:
        return _Dating(
            context_day or horizon,
            published,
            others[0].text if others else "",
            "present perfect: from the day in context to publication",
        )
    if context_day is not None:
        return _Dating(context_day, None, others[0].text if others else "", "date from the sentences before")
    return _Dating(published, None, "", "no date in the text: the publication day")


def _quote(text: str, start: int, end: int) -> tuple[str, bool]:
    if len(text) <= 400:
        return text, False
    cuts = [0] + [m.end() for m in re.finditer(r",\s", text)] + [len(text)]
    low = max(c for c in cuts if c <= start)
    high = min(c for c in cuts if c >= end)
    return text[low:high].strip(" ,")[:400], True


def _attribution(text: str) -> str:
    for pattern in _ATTRIBUTION:
        match = pattern.search(text)
        if match is not None:
            return match.group("who").strip()
    return ""


def _kind(entries: Sequence[Entry]) -> str:
    kinds = {KIND_NAMES.get(e.kind, "") for e in entries if not e.iri}
    return kinds.pop() if len(kinds) == 1 else ""


def extract(
    text: str,
    *,
    published: dt.date | str | None,
    source: str,
    store: Store | None = None,
    rules: Sequence[Rule] | None = None,
) -> Draft:
    """Propose the events a news report states, as a draft event table for an analyst to review.

    Parameters
    ----------
    text : str
        The report's text: headline and standfirst (read only up to a dateline such as
        ``ANKARA, Turkey —`` when there is one), then one paragraph a line.
    published : datetime.date or str
        The day the report was published (``YYYY-MM-DD``); weekdays and dates without a year are
        read against it. None looks for an ISO date in the report's first lines.
    source : str
        The report's URL (or title): the ``source`` of every row, and the key that lets a
        corrected draft replace the events of an earlier one.
    store : Store, optional
        The graph whose actors and aliases names resolve to (default: the default graph).
    rules : sequence of Rule, optional
        The relation rules (default: the shipped ``rules.toml``).

    Returns
    -------
    Draft
        Rows in the event-table format, and the sentences skipped with the reason.

    Raises
    ------
    InputError
        When the text is empty, binary, not English, or has no date to read it against.

    Examples
    --------
    >>> draft = extract("PARIS, France — France has recalled its ambassador from Niger, "
    ...                 "the ministry said on Monday.", published="2023-08-02", source="https://example.org/a")
    >>> [(r.actor, r.relation, r.target, r.date) for r in draft.rows]
    [('France', 'recallsDiplomatsFrom', 'Niger', '2023-07-31')]
    """
    day = _check(text, published)
    if not source or not source.strip():
        raise InputError("source is empty; give the report's URL (or title): every row carries it")
    if store is None:
        from kg._bulkload import load

        store = load()
    gazetteer = Gazetteer.from_store(store, actor_index(store))
    rules = tuple(rules) if rules is not None else load_rules()
    draft = Draft(source.strip(), day)
    found = sentences(text)
    body_at, body_offset = 0, 0
    for i, sentence in enumerate(found[:6]):
        match = _DATELINE.match(sentence.text)
        if match is not None:
            body_at, body_offset = i, match.end()
            break
    all_days = [d.day for s in found[body_at:] for d in find_dates(s.text, day)]
    horizon = min(all_days) if all_days else day
    carried: dt.date | None = None
    last_state: Entry | None = None
    seen: dict[tuple[str, str, str, str, str], DraftRow] = {}
    graph_actors: dict[int, str] = {}  # id(row) -> the graph IRI of its actor
    for i, sentence in enumerate(found):
        if i < body_at:
            draft.skipped.append(
                Skipped(
                    sentence.number,
                    sentence.start,
                    sentence.end,
                    "headline or standfirst (before the dateline)",
                    sentence.text,
                )
            )
            continue
        context = _Context(sentence, body_offset if i == body_at else 0, gazetteer, day, last_state)
        events: list[_Event] = []
        reasons: list[str] = []
        for rule in rules:
            for verb, verb_end, start, end in _matches(rule, context):
                result = _event(rule, context, verb, verb_end, start, end)
                if isinstance(result, str):
                    if result:
                        reasons.append(result)
                elif rule.alone and (events or any(r.startswith("negated") for r in reasons)):
                    continue
                else:
                    events.append(result)
        events = [e for e in events if not e.rule.alone or len(events) == 1]
        for event in events:
            dating = _date(context, event, day, horizon, carried)
            _add_rows(draft, seen, context, event, dating, graph_actors)
        if not events:
            if not context.mentions:
                reason = "no recognisable actor"
            else:
                reason = "; ".join(dict.fromkeys(reasons)) or "no relation rule matched"
            draft.skipped.append(Skipped(sentence.number, sentence.start, sentence.end, reason, sentence.text))
        if context.dates:
            carried = context.dates[0].day
        states = [m.entry for m in context.mentions if m.entry.kind == "State"]
        if states:
            last_state = states[-1]
    _link_known(draft, store, graph_actors)
    log.info("%d rows from %d sentences (%d skipped)", len(draft.rows), len(found), len(draft.skipped))
    return draft


_SAME_EVENT = """
SELECT ?event ?source WHERE {
    ?event dip:eventType ?type ; dip:actor ?actor ; dip:date ?date .
    OPTIONAL { ?event dip:source ?source }
} LIMIT 5
"""


def _link_known(draft: Draft, store: Store, graph_actors: dict[int, str]) -> None:
    """Flag rows whose event the graph already has (same type, actor and first day) from a source."""
    for row in draft.rows:
        actor = graph_actors.get(id(row))
        if not actor:
            continue
        bindings = {
            "type": URIRef(str(DIP) + row.relation),
            "actor": URIRef(actor),
            "date": Literal(row.date, datatype=XSD.date),
        }
        found = store.query_values(_SAME_EVENT, bindings=bindings)
        if found:
            shown = ", ".join(f"<{e}>" + (f" (source <{s}>)" if s else "") for e, s in found[:2])
            row.review = "; ".join(
                filter(
                    None,
                    [row.review, f"the graph already has this event: {shown}; link to it rather than add it twice"],
                )
            )


def _add_rows(
    draft: Draft,
    seen: dict[tuple[str, str, str, str, str], DraftRow],
    context: _Context,
    event: _Event,
    dating: _Dating,
    graph_actors: dict[int, str],
) -> None:
    sentence = context.sentence
    body = context.body
    quote, cut = _quote(sentence.text[body:], event.start - body, event.end - body)
    hedge = _HEDGE.search(sentence.text)
    flags = list(event.flags)
    if hedge:
        flags.append(f"hedged ({hedge.group()!r})")
    if cut:
        flags.append("quote cut to the clause (sentence over 400 characters)")
    if dating.how:
        flags.append(f"date: {dating.how}")
    if event.rule.claim:
        flags.append(f"claim ({event.rule.claim}): what is said is not a fact")
    generic = [
        f"{e.name!r} is an alias of the graph's {e.alias_of!r}" for e in (*event.actors, *event.targets) if e.generic
    ]
    if generic:
        flags.append(
            "a common noun: " + "; ".join(dict.fromkeys(generic)) + " (ingest links it; rename it if it is another)"
        )
    new = [e.name for e in (*event.actors, *event.targets) if not e.iri]
    if new:
        flags.append("new actor(s): " + ", ".join(dict.fromkeys(new)))
    confidence = 0.8
    if hedge:
        confidence -= 0.3
    if any(f.startswith("modal") for f in flags):
        confidence -= 0.2
    if "no target found" in flags or dating.how.startswith(("date from", "no date")):
        confidence -= 0.2
    end = dating.end if dating.end is not None and dating.end != dating.date else None
    target = ";".join(t.name for t in event.targets)
    for actor in event.actors:
        row = DraftRow(
            date=dating.date.isoformat(),
            actor=actor.name,
            relation=event.rule.relation,
            target=target,
            source=draft.source,
            quote=quote,
            actor_kind=_kind([actor]),
            target_kind=_kind(event.targets),
            date_precision="interval" if end else "day",
            end_date=end.isoformat() if end else "",
            note=f"claim ({event.rule.claim}) in: {quote}" if event.rule.claim else "",
            confidence=f"{max(confidence, 0.1):.1f}",
            sentence=sentence.number,
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            rule=event.rule.id,
            cameo=event.rule.cameo,
            claim=event.rule.claim,
            attributed_to=_attribution(sentence.text),
            date_text=dating.text,
            review="; ".join(flags),
        )
        key = row.key()
        if key in seen:
            earlier = seen[key]
            if earlier.sentence != sentence.number:
                earlier.review = "; ".join(filter(None, [earlier.review, f"also stated in sentence {sentence.number}"]))
            continue
        seen[key] = row
        draft.rows.append(row)
        if actor.iri:
            graph_actors[id(row)] = actor.iri


def _check(text: str, published: dt.date | str | None) -> dt.date:
    """Return the publication day; refuse text that cannot be a report."""
    if "\x00" in text:
        raise InputError("the report is binary data (it holds NUL bytes); give the text of a news report")
    if not text.strip():
        raise InputError("the report is empty; give the text of a news report")
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < 3:
        raise InputError(f"the report has {len(words)} word(s); give the text of a news report")
    share = english_share(text)
    if share < 0.5:
        raise InputError(
            f"the report does not read as English (only {share:.0%} of its words are English "
            "words); extraction rules are written for English reports"
        )
    if isinstance(published, dt.date):
        return published
    if published:
        try:
            return dt.date.fromisoformat(str(published).strip())
        except ValueError:
            raise InputError(f"published {published!r} is not a day written YYYY-MM-DD") from None
    head = "\n".join(text.splitlines()[:5])
    match = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", head)
    if match is not None:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise InputError(
        "the report has no date: give published=DATE (the day it was published, YYYY-MM-DD); "
        "weekdays such as 'on Tuesday' are read against it"
    )


_FIELDS = tuple(f.name for f in fields(DraftRow))
assert _FIELDS == DRAFT_COLUMNS, "DraftRow and DRAFT_COLUMNS must list the same columns"
