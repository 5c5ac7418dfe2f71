"""The time cut and filters every network subcommand takes, defined once.

``add_projection_options(parser)`` adds ``--as-of``, ``--since``, ``--until``, ``--relation``
(repeatable), ``--sign`` (repeatable), ``--claims`` / ``--no-claims``, ``--fold`` / ``--no-fold``,
``--structural`` / ``--no-structural`` and ``--from-evidence``; ``projection_options(args)`` turns
them into the one :class:`kg.ProjectionOptions` that :func:`kg.project`, every analysis function
and the maps take.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import kg
from kg.cli._options import add_dates, add_switch

if TYPE_CHECKING:
    from kg import ProjectionOptions

__all__ = ["VIEW_HINT", "add_projection_options", "projection_options"]


def add_projection_options(parser: argparse.ArgumentParser) -> None:
    """Add the time cut and the filters of the network projection to a subcommand."""
    group = parser.add_argument_group("time cut and filters")
    add_dates(
        group,
        {
            "--as-of": "what is in force on that day: events up to it, standing relations holding then",
            "--since": "keep what overlaps the window from DATE on",
            "--until": "keep what overlaps the window up to DATE",
        },
    )
    group.add_argument(
        "--relation",
        action="append",
        metavar="TYPE",
        help="keep this relation type (label, local name, dip:name, IRI or CAMEO code; repeatable)",
    )
    group.add_argument(
        "--sign",
        action="append",
        metavar="SIGN",
        help="keep relations of this sign: + (cooperative), - (conflictual), 0 (neutral); repeatable",
    )
    add_switch(
        group,
        "--claims",
        "count the events of contested accounts, marked contested and drawn dashed "
        "(default: on; --no-claims leaves them out)",
    )
    add_switch(
        group,
        "--fold",
        "count persons, bodies and missions as the state or organisation they act for "
        "(default: on; --no-fold keeps every actor apart; collectives are never folded)",
    )
    group.add_argument(
        "--from-evidence",
        action="store_true",
        help="count a standing relation the source presents as already existing only from "
        "its first evidence (default: in force before it too, marked before_evidence)",
    )
    add_switch(
        group,
        "--structural",
        "keep structural relations (holds a post in, part of, mission of) as edges "
        "(default: on for 'kg path', off otherwise)",
    )


def projection_options(args: argparse.Namespace) -> ProjectionOptions:
    """Return the projection options that the flags of :func:`add_projection_options` give.

    A flag left out keeps the option's default (``--structural`` left out: None, the command's
    own default).
    """
    return kg.ProjectionOptions.of(
        as_of=args.as_of,
        since=args.since,
        until=args.until,
        relations=args.relation,
        signs=args.sign,
        claims=True if args.claims is None else args.claims,
        fold=True if args.fold is None else args.fold,
        structural=args.structural,
        from_evidence=bool(args.from_evidence),
    )


VIEW_HINT = "--no-fold keeps every actor apart; --no-claims leaves contested accounts out"
"""How to change the default view, said under the title of every network table."""
