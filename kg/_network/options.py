"""The options of the network projection, in one object: :class:`ProjectionOptions`.

Every function that projects a store (:func:`kg.project`, the analyses, the maps, the CLI's
network commands) takes one :class:`ProjectionOptions`, or the same names as keyword arguments
(:class:`ProjectionKeywords`), or both: the keywords then override the object's values. The
values are checked here, once, when the object is made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, TypedDict, Unpack

from kg._errors import InputError
from kg._timecut import TimeCut

__all__ = ["ProjectionKeywords", "ProjectionOptions", "parse_signs"]

_SIGNS = {
    "+": 1,
    "1": 1,
    "cooperative": 1,
    "positive": 1,
    "-": -1,
    "-1": -1,
    "conflictual": -1,
    "negative": -1,
    "0": 0,
    "neutral": 0,
}


def parse_signs(signs: Iterable[int | str]) -> set[int]:
    """Return the signs (1, -1, 0) that ``+``/``-``/``0``, numbers or names stand for.

    Raises
    ------
    InputError
        For a sign that is none of those.

    Examples
    --------
    >>> sorted(parse_signs(["+", "conflictual", 0]))
    [-1, 0, 1]
    """
    result = set()
    for sign in signs:
        key = str(sign).strip().lower()
        if key not in _SIGNS:
            raise InputError(f"unknown sign {sign!r}: use +, -, 0 (cooperative, conflictual, neutral)")
        result.add(_SIGNS[key])
    return result


class ProjectionKeywords(TypedDict, total=False):
    """The fields of :class:`ProjectionOptions` as keyword arguments, with the values they accept.

    ``project(store, as_of="2023-10-19")`` is ``project(store, ProjectionOptions(as_of=...))``;
    a test keeps these names equal to the fields.
    """

    as_of: str | dt.date | None
    since: str | dt.date | None
    until: str | dt.date | None
    relations: Iterable[str] | str | None
    signs: Iterable[int | str] | None
    claims: bool
    fold: bool
    structural: bool | None
    unfold: Iterable[str]
    each_report: bool
    from_evidence: bool


_BOOLEANS = ("claims", "fold", "each_report", "from_evidence")


@dataclass(frozen=True, kw_only=True)
class ProjectionOptions:
    """What the network projection keeps: the time cut, the filters and the view.

    The object is frozen and hashable; :meth:`replace` (or :meth:`of`) makes a changed copy.
    Values are checked and normalised when it is made: dates become :class:`datetime.date`,
    ``relations`` and ``unfold`` tuples of text (one name alone is a tuple of one), ``signs`` a
    sorted tuple of 1, -1 and 0.

    Attributes
    ----------
    as_of : date, optional
        Keep what is in force on that day (events up to it, standing relations holding then).
        Text ``YYYY-MM-DD`` is accepted.
    since, until : date, optional
        Keep what overlaps the window.
    relations : tuple of str, optional
        Relation types to keep, by label, local name, prefixed name, IRI or CAMEO code (checked
        against the store's taxonomy when projecting).
    signs : tuple of int, optional
        Signs to keep: ``1``/``"+"``/``"cooperative"``, ``-1``/``"-"``/``"conflictual"``,
        ``0``/``"neutral"``.
    claims : bool, default True
        Keep the edges of events of contested accounts, marked ``contested=True``.
    fold : bool, default True
        Count persons, bodies and missions as the state or organisation they act for.
    structural : bool or None, default None
        Keep the structural relations (holds a post in, part of, mission of) as edges. None: the
        function's own default (off; on for :func:`kg.paths` when not folding).
    unfold : tuple of str
        IRIs of actors kept apart when folding.
    each_report : bool, default False
        Give every report of one occurrence its own edge.
    from_evidence : bool, default False
        Count a standing relation presented as already existing only from its first evidence.

    Raises
    ------
    InputError
        For a date that does not parse, a window that ends before it starts, an unknown sign,
        or a flag that is not ``True`` or ``False``.

    Examples
    --------
    >>> options = ProjectionOptions(as_of="2023-10-19", signs=["-"])
    >>> options.as_of, options.signs
    (datetime.date(2023, 10, 19), (-1,))
    >>> options.replace(fold=False).given()
    ['as_of', 'fold', 'signs']
    >>> ProjectionOptions.of(options, as_of=None) == ProjectionOptions(signs=[-1])
    True
    """

    as_of: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    relations: tuple[str, ...] | None = None
    signs: tuple[int, ...] | None = None
    claims: bool = True
    fold: bool = True
    structural: bool | None = None
    unfold: tuple[str, ...] = ()
    each_report: bool = False
    from_evidence: bool = False

    def __post_init__(self) -> None:
        for name in _BOOLEANS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise InputError(f"the projection option {name} must be True or False, not {value!r}")
        if self.structural is not None and not isinstance(self.structural, bool):
            raise InputError(f"the projection option structural must be True, False or None, not {self.structural!r}")
        cut = self.cut  # checks the dates and the window
        put = object.__setattr__  # a frozen dataclass normalises its own fields so
        put(self, "as_of", cut.as_of)
        put(self, "since", cut.since)
        put(self, "until", cut.until)
        put(self, "relations", None if self.relations is None else _texts(self.relations))
        put(self, "signs", None if self.signs is None else tuple(sorted(parse_signs(self.signs))))
        put(self, "unfold", _texts(self.unfold))

    @property
    def cut(self) -> TimeCut:
        """The time cut: ``as_of``, ``since``, ``until`` and ``from_evidence``."""
        return TimeCut.of(self.as_of, self.since, self.until, from_evidence=self.from_evidence)

    @classmethod
    def of(
        cls, options: ProjectionOptions | None = None, /, **overrides: Unpack[ProjectionKeywords]
    ) -> ProjectionOptions:
        """Return ``options`` (the defaults when None) with the keyword arguments replacing its values.

        What every function taking "options and keyword overrides" calls.

        Raises
        ------
        TypeError
            For ``options`` that is not a :class:`ProjectionOptions`, or an unknown keyword.
        InputError
            For a bad value (as the class).

        Examples
        --------
        >>> ProjectionOptions.of(fold=False).fold
        False
        """
        if options is None:
            options = cls()
        elif not isinstance(options, ProjectionOptions):
            raise TypeError(
                f"projection options must be a ProjectionOptions, not {type(options).__name__}: "
                "give the options as keyword arguments, or as ProjectionOptions(...)"
            )
        return options.replace(**overrides) if overrides else options

    def replace(self, **changes: Unpack[ProjectionKeywords]) -> ProjectionOptions:
        """Return a copy with some values changed (and checked).

        Raises
        ------
        TypeError
            For a name that is not a projection option (with the closest ones).

        Examples
        --------
        >>> ProjectionOptions().replace(since="2023-10-17").since
        datetime.date(2023, 10, 17)
        """
        unknown = sorted(set(changes) - _NAMES)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(_NAMES), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; the options are {', '.join(_NAMES_ORDER)}"
            raise TypeError(f"unknown projection option {unknown[0]!r}{hint}")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # __post_init__ normalises

    def given(self) -> list[str]:
        """Return the names of the options that differ from what :func:`kg.project` does by default, sorted.

        What a caller handed a graph already projected may not also give (it would be ignored).
        ``structural=False`` is :func:`kg.project`'s default, so not listed.

        Examples
        --------
        >>> ProjectionOptions(claims=False, structural=False).given()
        ['claims']
        """
        return sorted(f.name for f in fields(self) if not _is_default(f.name, getattr(self, f.name)))


_NAMES_ORDER = tuple(f.name for f in fields(ProjectionOptions))
_NAMES = frozenset(_NAMES_ORDER)
_DEFAULTS = {f.name: f.default for f in fields(ProjectionOptions)}


def _texts(values: Iterable[Any] | str) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(str(value) for value in values)


def _is_default(name: str, value: Any) -> bool:
    return value == _DEFAULTS.get(name) or (name == "structural" and value is False)
