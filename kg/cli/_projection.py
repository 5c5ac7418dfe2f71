"""The time cut and filters every network subcommand takes, defined once.

``add_projection_options(parser)`` adds ``--as-of``, ``--since``, ``--until``, ``--relation``
(repeatable), ``--sign`` (repeatable), ``--claims`` / ``--no-claims``, ``--fold`` / ``--no-fold``,
``--structural`` / ``--no-structural`` and ``--from-evidence``; ``projection_options(args)`` turns
them into the keyword arguments of :func:`kg._network.project` and of every analysis function.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg import ProjectionOptions

__all__ = ["VIEW_HINT", "add_projection_options", "projection_options"]


def add_projection_options(parser: argparse.ArgumentParser) -> None:
    """Add the time cut and the filters of the network projection to a subcommand."""
    group = parser.add_argument_group("time cut and filters")
    group.add_argument(
        "--as-of", metavar="DATE", help="what is in force on that day: events up to it, standing relations holding then"
    )
    group.add_argument("--since", metavar="DATE", help="keep what overlaps the window from DATE on")
    group.add_argument("--until", metavar="DATE", help="keep what overlaps the window up to DATE")
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
    group.add_argument(
        "--claims",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="count the events of contested accounts, marked contested and drawn dashed "
        "(default: on; --no-claims leaves them out)",
    )
    group.add_argument(
        "--fold",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="count persons, bodies and missions as the state or organisation they act for "
        "(default: on; --no-fold keeps every actor apart; collectives are never folded)",
    )
    group.add_argument(
        "--from-evidence",
        action="store_true",
        help="count a standing relation the source presents as already existing only from "
        "its first evidence (default: in force before it too, marked before_evidence)",
    )
    group.add_argument(
        "--structural",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep structural relations (holds a post in, part of, mission of) as edges "
        "(default: on for 'kg path', off otherwise)",
    )


def projection_options(args: argparse.Namespace) -> ProjectionOptions:
    """Return the projection keyword arguments the options of :func:`add_projection_options` give."""
    options: dict[str, Any] = {
        "as_of": args.as_of,
        "since": args.since,
        "until": args.until,
        "relations": args.relation,
        "signs": args.sign,
    }
    for name in ("claims", "fold", "structural"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.from_evidence:
        options["from_evidence"] = True
    return options  # type: ignore[return-value]


VIEW_HINT = "--no-fold keeps every actor apart; --no-claims leaves contested accounts out"
"""How to change the default view, said under the title of every network table."""
