"""The extraction itself: sentences to draft rows through the rules, mentions and dates."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg._actors import actor_index
from kg._errors import InputError
from kg._extract._context import RELATIVE, SAY, Context, Group, states
from kg._extract._draft import DRAFT_COLUMNS, Draft, DraftRow, Skipped
from kg._extract._mentions import KIND_NAMES, Entry, Gazetteer
from kg._extract._rules import Rule, after_words, load_rules
from kg._extract._text import DateMention, Sentence, english_share, find_dates, sentences
from kg._namespace import DIP
from kg._store import Store

__all__ = ["DRAFT_COLUMNS", "Draft", "DraftRow", "Skipped", "extract"]

log = logging.getLogger(__name__)

_DETERMINERS = {"a", "an", "the", "its", "his", "her", "their", "these", "those", "this", "our"}
_NEGATIONS = {"not", "n't", "never", "no"}
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|apparently|purportedly|(?:is|was|were|are) (?:said|believed|"
    r"reported|thought) to|according to)\b",
    re.IGNORECASE,
)
_CLAIM_CUE = re.compile(
    r"\b(?:accus\w*|blam\w*|claim\w*|alleg\w*|show(?:ed|n)? that|den(?:y|ied|ies)|refut\w*)\b", re.IGNORECASE
)
_PAST_MARKER = re.compile(r"\b(?:previously|earlier|in the past)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,[^—–\n]{0,40}?)?\s+[—–-]{1,2}\s+")
_ATTRIBUTION = (
    re.compile(r"(?:,|—)\s*(?P<who>[^,“”\"]{3,70}?)\s+(?:told|said|says|tells|announced)\b"),
    re.compile(r"\b(?:said|says|told)\s+(?P<who>(?:the|a|an)\s[^,.;“”\"]{3,60})"),
    re.compile(r"\baccording to (?P<who>[^,.;“”\"]{3,60})"),
    re.compile(r"^(?:On \w+, )?(?P<who>[^,“”\"]{3,70}?)\s+(?:said|says|told|announced)\b"),
)


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


def _matches(rule: Rule, context: Context) -> list[tuple[int, int, int, int]]:
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


def _noun_use(context: Context, verb: int) -> bool:
    """Return True when the trigger word is a noun ("an unprecedented assault", "these attacks")."""
    words = re.findall(r"[\w'’]+", context.text[max(0, verb - 40) : verb].lower())[-2:]
    adjective = ("ed", "al", "ous", "ive", "ful", "ic", "ent", "ant", "ary", "ble", "ish", "less")
    return bool(words) and (
        words[-1] in _DETERMINERS or (len(words) == 2 and words[0] in _DETERMINERS and words[1].endswith(adjective))
    )


def _negated(context: Context, start: int) -> str:
    words = re.findall(r"[\w']+|n't", context.text[max(0, start - 30) : start].lower().replace("’", "'"))[-4:]
    hit = [w for w in words if w in _NEGATIONS or w.endswith("n't")]
    return " ".join(words) if hit else ""


def _event(rule: Rule, context: Context, verb: int, verb_end: int, start: int, end: int) -> _Event | str:
    """Return the event a rule match states, or why there is none."""
    text = context.text
    refused = _refusal(rule, context, verb, start, end)
    if refused is not None:
        return refused
    flags: list[str] = []
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
    actor, target = _actor(rule, context, verb, start, end, passive=passive)
    if passive:
        flags.append("passive")
    if actor is None:
        return f"no recognisable actor for {text[verb:end]!r}"
    if rule.target_is_subject or target is None:
        target = _target(rule, context, actor, verb, verb_end)
    targets = _target_entries(rule, context, actor, target, verb, start, end)
    actors = actor.entries()
    names = {a.name for a in actors}
    targets = [t for t in targets if t.name not in names]
    if rule.target != "none" and not targets:
        flags.append("no target found")
    return _Event(rule, actors, targets, verb, verb_end, start, end, flags)


def _refusal(rule: Rule, context: Context, verb: int, start: int, end: int) -> str | None:
    """Return why a match states no event: a noun ("" then), a negation or a claim; else None."""
    text = context.text
    if rule.relation != "clashesWith" and _noun_use(context, verb):
        return ""
    negation = _negated(context, start)
    if negation:
        return f"negated ({negation!r} before {text[verb:end]!r}): no event"
    if not rule.claim and _CLAIM_CUE.search(text, context.body, start):
        return f"{text[verb:end]!r} is inside what someone claims: not a fact"
    return None


def _actor(
    rule: Rule, context: Context, verb: int, start: int, end: int, *, passive: bool
) -> tuple[Group | None, Group | None]:
    """Return who acted, and for a passive the target found with the agent.

    The actor is the speaker, the words after a cue word, the agent of a passive ("by ..."),
    or the subject of the verb, as the rule says.
    """
    if rule.actor == "speaker":
        actor = context.subject(start)
        first = [i for i, m in enumerate(context.mentions) if m.start >= context.body]
        if first:
            group = context.group_from(first[0])
            if not context.is_object(group.mentions[0]):
                actor = group
        return actor, None
    if rule.actor.startswith("after:"):
        at = context.word_after(after_words(rule.actor), verb)
        actor = context.group_after(at) if at is not None else None
        if actor is not None and rule.target.startswith("after:") and "and" in after_words(rule.target):
            actor = Group(actor.mentions[:1])  # "clashes between police and protesters"
        return actor, None
    if not passive:
        return context.subject(verb), None
    at = context.word_after(("by",), end)
    actor = context.group_after(at) if at is not None else None
    target = None
    if rule.passive_target and actor is not None:
        at = context.word_after((rule.passive_target,), actor.end)
        target = context.group_after(at) if at is not None else None
    if target is None and rule.target != "none":
        target = context.subject(start)
    return actor, target


def _target(rule: Rule, context: Context, actor: Group, verb: int, verb_end: int) -> Group | None:
    """Return whom the event was aimed at, where the rule says to look."""
    if rule.target_is_subject:
        later = [i for i, m in enumerate(context.mentions) if m.start >= actor.end and not context.is_object(m)]
        return context.group_from(later[0]) if later else None
    if rule.target == "object":
        return context.group_after(verb_end)
    if rule.target.startswith("after:"):
        at = context.word_after(after_words(rule.target), verb)
        if at is not None:
            return context.group_after(at)
    return None


def _target_entries(
    rule: Rule, context: Context, actor: Group, target: Group | None, verb: int, start: int, end: int
) -> list[Entry]:
    """Return the targets' entries: their states where the rule aims at a state."""
    text = context.text
    if not rule.target_state:
        return target.entries() if target is not None else []
    targets: list[Entry]
    if target is not None:
        targets = states(context, target, end, len(text))
    elif rule.target.startswith("after:"):
        at = context.word_after(after_words(rule.target), verb)
        targets = [m.entry for m in context.gaz.states_in(text, at, min(len(text), at + 60))][:1] if at else []
    else:
        targets = []
    if not targets:  # "some 200 Israeli hostages the group is holding"
        inside = [m.entry for m in context.gaz.states_in(text, start, end) if not actor.start <= m.start < actor.end]
        targets = inside[:1]
    return targets


@dataclass
class _Dating:
    date: dt.date
    end: dt.date | None
    text: str
    how: str


def _date(context: Context, event: _Event, published: dt.date, horizon: dt.date, carried: dt.date | None) -> _Dating:
    text, verb = context.text, event.verb
    relatives = [m.start() for m in RELATIVE.finditer(text)]

    def between(date: DateMention) -> str:
        return text[date.end : verb] if date.start < verb else text[event.verb_end : date.start]

    def same_clause(date: DateMention) -> bool:
        low, high = (date.end, verb) if date.start < verb else (event.verb_end, date.start)
        return not any(low <= r < high for r in relatives)

    said = [
        d
        for d in context.dates
        if SAY.search(text, max(0, d.start - 25), d.start) or SAY.search(text, d.end, d.end + 12)
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
    marker = _PAST_MARKER.search(text)
    if marker is not None:
        # "previously": before the report's day, so at the latest the day before it (as the graph
        # encodes "Ankara was previously involved": dip:before the article's date)
        return _Dating(horizon, max(horizon, published - dt.timedelta(days=1)), marker.group(), "before publication")
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
    body_at, body_offset = _dateline(found)
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
        context = Context(sentence, body_offset if i == body_at else 0, gazetteer, day, last_state)
        events, reasons = _events(rules, context)
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


def _dateline(found: Sequence[Sentence]) -> tuple[int, int]:
    """Return the sentence where the body starts (at a dateline in the first six) and its offset."""
    for i, sentence in enumerate(found[:6]):
        match = _DATELINE.match(sentence.text)
        if match is not None:
            return i, match.end()
    return 0, 0


def _events(rules: Sequence[Rule], context: Context) -> tuple[list[_Event], list[str]]:
    """Return the events a sentence states by the rules, and why matches gave none."""
    events: list[_Event] = []
    reasons: list[str] = []
    for rule in rules:
        for verb, verb_end, start, end in _matches(rule, context):
            result = _event(rule, context, verb, verb_end, start, end)
            if isinstance(result, str):
                if result:
                    reasons.append(result)
            elif not rule.alone or not (events or any(r.startswith("negated") for r in reasons)):
                events.append(result)
    return [e for e in events if not e.rule.alone or len(events) == 1], reasons


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
    context: Context,
    event: _Event,
    dating: _Dating,
    graph_actors: dict[int, str],
) -> None:
    sentence = context.sentence
    body = context.body
    quote, cut = _quote(sentence.text[body:], event.start - body, event.end - body)
    hedge = _HEDGE.search(sentence.text)
    flags = _flags(event, dating, hedge.group() if hedge else "", cut=cut)
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


def _flags(event: _Event, dating: _Dating, hedge: str, *, cut: bool) -> list[str]:
    """Return what a reviewer should check in the rows of an event."""
    flags = list(event.flags)
    if hedge:
        flags.append(f"hedged ({hedge!r})")
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
    return flags


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
