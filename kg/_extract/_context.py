"""What one sentence offers the extraction rules: its tokens, mentions and dates.

:class:`Context` also finds the groups of actors around a verb: the subject, the object, the
words after a cue word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg._extract._mentions import Entry, Gazetteer, Mention
from kg._extract._text import Sentence, Tokens, find_dates

__all__ = ["RELATIVE", "SAY", "Context", "Group", "states"]

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
RELATIVE = re.compile(r"\b(?:that|which|who|whom)\b|;")
SAY = re.compile(r"\b(?:said|says|told|tells|announced|stated)\b")
_ANAPHORS = re.compile(r"\b(?:his|her|its|their) country\b|\bthe country\b")


@dataclass
class Group:
    """Mentions of actors that stand together ("France and Germany")."""

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


class Context:
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

    def group_from(self, index: int) -> Group:
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
        return Group(members)

    def group_before(self, index: int) -> Group:
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
        return Group(members)

    def _word_before(self, char: int) -> str:
        words = re.findall(r"[\w'’]+", self.text[max(self.body, char - 30) : char])
        return words[-1].lower() if words else ""

    def is_object(self, mention: Mention) -> bool:
        after = re.match(r"\s*([\w'’]+)", self.text[mention.end :])
        if after is not None and after.group(1).lower() in _AUXILIARIES:
            return False  # "with the Jewish state having already advised ...": a subject
        before = self._word_before(mention.start)
        return before in _PREPOSITIONS or before.endswith("ed") or before in _IRREGULAR

    def subject(self, before: int, *, floor: int | None = None) -> Group | None:
        """Return the nearest group before ``before`` that is no preposition's or verb's object."""
        start = self.body if floor is None else floor
        boundaries = [m.end() for m in RELATIVE.finditer(self.text, start, before)]
        clause = boundaries[-1] if boundaries else start
        for lower in (clause, None):
            candidates = [i for i, m in enumerate(self.mentions) if (lower or start) <= m.start and m.end <= before]
            for i in reversed(candidates):
                head = self.group_from(i)
                if head.end > before:
                    continue
                group = self.group_before(i)
                if not self.is_object(group.mentions[0]) and not self.is_object(self.mentions[i]):
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
            first = list(RELATIVE.finditer(self.text, start, before))[-1]
            if (
                first is None
                or first.group() != "that"
                or not SAY.search(self.text, max(start, first.start() - 25), first.start())
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

    def group_after(self, after: int, *, limit: int = 80) -> Group | None:
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


def states(context: Context, group: Group | None, start: int, end: int) -> list[Entry]:
    """Return the states of a group: states themselves, else the states its actors belong to."""
    found: list[Entry] = []
    for entry in group.entries() if group else []:
        if entry.kind == "State":
            found.append(entry)
        elif entry.state and (state := context.gaz.entry(entry.state)) is not None:
            found.append(state)
    if not found and group is not None:
        found = [m.entry for m in context.gaz.states_in(context.text, group.start, group.end)]
    return list({e.name: e for e in found}.values())
