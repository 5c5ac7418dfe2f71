"""The relation rules of :mod:`kg._extract`, read from ``rules.toml`` (documented in that file)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg._errors import InputError

__all__ = ["RULES_FILE", "Rule", "after_words", "load_rules"]

RULES_FILE = Path(__file__).with_name("rules.toml")
"""The rule set shipped with the package."""

_CLAIMS = ("", "asserts", "disputes", "endorses")


@dataclass(frozen=True)
class Rule:
    """One pattern: the verb phrase, the relation type it states, and where actor and target are."""

    id: str
    relation: str
    cameo: str
    pattern: re.Pattern[str]
    target: str = "object"
    target_state: bool = False
    actor: str = "subject"
    target_is_subject: bool = False
    passive_target: str = ""
    claim: str = ""
    alone: bool = False
    example: str = ""
    published: str = ""
    expect: str = ""


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Return the rules of a rule file (``rules.toml`` by default).

    Raises
    ------
    InputError
        When the file does not parse, or a rule lacks a field or has a bad one.

    Examples
    --------
    >>> rules = load_rules()
    >>> next(r for r in rules if r.id == "recall-diplomats").cameo
    '161'
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read the rule file: {exc}") from exc
    rules = []
    for number, raw in enumerate(data.get("rule", []), 1):
        where = f"{path}: rule {number} ({raw.get('id', 'no id')})"
        missing = [
            f for f in ("id", "relation", "cameo", "pattern", "example", "published", "expect") if not raw.get(f)
        ]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}; every rule has them (see the file's header)")
        try:
            pattern = re.compile(raw["pattern"])
        except re.error as exc:
            raise InputError(f"{where}: pattern does not compile: {exc}") from exc
        if raw.get("claim", "") not in _CLAIMS:
            raise InputError(f"{where}: claim {raw['claim']!r} is not one of asserts, disputes, endorses")
        for field in ("target", "actor"):
            value = raw.get(field, "")
            if value and value not in ("object", "none", "subject", "speaker") and not value.startswith("after:"):
                raise InputError(f"{where}: {field} {value!r} is not object, none, subject, speaker or after:WORDS")
        rules.append(
            Rule(
                id=raw["id"],
                relation=raw["relation"],
                cameo=str(raw["cameo"]),
                pattern=pattern,
                target=raw.get("target", "object"),
                target_state=bool(raw.get("target_state", False)),
                actor=raw.get("actor", "subject"),
                target_is_subject=bool(raw.get("target_is_subject", False)),
                passive_target=raw.get("passive_target", ""),
                claim=raw.get("claim", ""),
                alone=bool(raw.get("alone", False)),
                example=raw["example"],
                published=raw["published"],
                expect=raw["expect"],
            )
        )
    if not rules:
        raise InputError(f"{path}: no [[rule]] in the rule file")
    return tuple(rules)


def after_words(spec: str) -> tuple[str, ...]:
    """Return the words of an ``after:w1|w2`` field."""
    return tuple(w.strip() for w in spec.split(":", 1)[1].split("|") if w.strip())
