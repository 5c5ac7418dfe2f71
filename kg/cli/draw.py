"""``kg draw``, ``kg timeline`` and ``kg report``: relationship maps and the report that gathers them.

Each takes the time cut and filters of the network projection (``kg/cli/_projection.py``); images
are written atomically, PNG or SVG by the file's extension.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import kg
from kg.cli._context import Context, at_least
from kg.cli._options import IMAGE, add_hops, add_image_options, add_measure, add_output, add_top, command, given
from kg.cli._projection import add_projection_options, projection_options

__all__: list[str] = []  # its subcommands are declared with @command


def _output(path: str, *, html: bool = False) -> Path:
    """Check the image path before any work: PNG or SVG (or HTML), in a folder that exists."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg", *((".html",) if html else ())):
        more = ", or the interactive map *.html" if html else ""
        raise kg.InputError(f"{out}: name the image *.png or *.svg{more} (the extension chooses the format)")
    if not out.parent.is_dir():
        raise kg.InputError(f"{out}: the folder {out.parent} does not exist; create it first")
    return out


@command("draw")
def _draw_options(parser: argparse.ArgumentParser) -> None:
    """Draw a relationship map (PNG or SVG).

    Draw the actors and their relations: the whole graph, the neighbourhood of one actor (--focus, --hops) or the
    most central actors of a large graph (--view top, --top N). Shape and colour of a node give the kind of actor,
    its size a centrality measure; edges are blue when cooperative, vermillion when conflictual, dashed when part of
    a contested account (--claims).
    """
    add_output(parser, "the image: *.png or *.svg, or *.html for the interactive map")
    parser.add_argument(
        "--view",
        choices=kg.VIEWS,
        default=None,
        help="graph (the whole graph), ego (around --focus) or top (the --top N "
        "most central); default: ego with --focus, top with --top, else graph",
    )
    parser.add_argument("--focus", metavar="ACTOR", help="centre an ego map on this actor")
    add_hops(parser, "reach of an ego map, in relations (default 1)")
    add_top(parser, "draw the N most central actors (the top view; 40 with --view top)")
    add_measure(parser, "centrality measure for node size and the top view (default degree)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the layout (default 0)")
    add_projection_options(parser)
    add_image_options(parser, height=8.5)
    parser.set_defaults(run=_draw)


@command("timeline")
def _timeline_options(parser: argparse.ArgumentParser) -> None:
    """Draw the events in time order, one row per dyad (PNG or SVG).

    Events in time order, one row per dyad (actor to target), coloured by sign, each mark named by its relation.
    With A, only A's dyads; with A and B, only those between them.
    """
    parser.add_argument("a", nargs="?", metavar="A", help="keep the dyads of this actor")
    parser.add_argument("b", nargs="?", metavar="B", help="keep the dyads between A and this actor")
    add_output(parser, "the image: *.png or *.svg")
    parser.add_argument(
        "--max-rows",
        type=at_least(int, 1),
        default=30,
        metavar="N",
        help="beyond N dyads keep the busiest (default 30)",
    )
    add_projection_options(parser)
    add_image_options(parser, height=None)
    parser.set_defaults(run=_timeline)


@command("report")
def _report_options(parser: argparse.ArgumentParser) -> None:
    """Validate, then write maps, timeline, rankings, claims and queries into a folder.

    Validate the graph, then write into DIR the whole map (contested claims dashed), the interactive map (map.html,
    opens offline), an ego map of the most central actor, a timeline, the centrality table, the contested claims and
    the answers of the named queries, with index.md and index.html linking them. Exit 0 when the graph conforms, 1
    when it does not (the report is written either way), 2 on bad input.
    """
    add_output(parser, "the report's folder", metavar="DIR")
    add_measure(parser, "centrality measure of the table and the maps (default degree)")
    add_top(parser, "actors of the main map when the graph has more than 80 (default 40)", default=40)
    add_hops(parser, "reach of the ego map (default 1)")
    parser.add_argument("--dpi", type=at_least(float, 20), default=100.0, help="resolution of the PNG maps")
    parser.add_argument("--no-svg", action="store_true", help="write the maps as PNG only")
    parser.add_argument("--no-queries", action="store_true", help="leave out the answers of the named queries")
    parser.add_argument(
        "--no-validate",
        action="store_true",
        help="skip validation (for a large store: it reads the whole graph into memory)",
    )
    add_projection_options(parser)
    parser.set_defaults(run=_report)


def _saved(context: Context, figure: Any, out: Path) -> int:
    kg.save_figure(figure, out, dpi=context.args.dpi)
    context.print(f"wrote {out}")
    return 0


def _draw(context: Context) -> int:
    args = context.args
    out = _output(args.output, html=True)
    if out.suffix.lower() == ".html":
        return _draw_html(context, out)
    drawn = given(args, "view", "focus", "hops", "top", "measure", "seed", *IMAGE)
    return _saved(context, kg.draw(context.store(), projection_options(args), **drawn), out)


def _draw_html(context: Context, out: Path) -> int:
    args = context.args
    if args.view == "ego" or args.focus:
        raise kg.InputError(
            "the interactive map shows the whole graph or the --top N view; leave out --focus "
            "and search the actor in the page"
        )
    # the page holds contested accounts, dashed, and opens with them; its filter hides them
    options = projection_options(args).replace(claims=True)
    page = kg.draw_html(context.store(), options, top=args.top, measure=args.measure, title=args.title, seed=args.seed)
    page.save(out)
    context.print(f"wrote {out} ({page.summary()})")
    return 0


def _timeline(context: Context) -> int:
    args = context.args
    out = _output(args.output)
    if args.b and not args.a:  # pragma: no cover - argparse fills a before b
        raise kg.InputError("give A before B")
    figure = kg.draw_timeline(
        context.store(), args.a, args.b, projection_options(args), max_rows=args.max_rows, **given(args, *IMAGE)
    )
    return _saved(context, figure, out)


def _report(context: Context) -> int:
    args = context.args
    files = [] if args.store or args.endpoint else kg.data_files(*args.data, default=not args.no_default)
    report = kg.write_report(
        context.store(),
        args.output,
        projection_options(args).replace(structural=None),
        measure=args.measure,
        top=args.top,
        hops=args.hops,
        dpi=args.dpi,
        svg=not args.no_svg,
        validation=not args.no_validate,
        queries=not args.no_queries,
        files=files,
    )
    context.print(f"wrote {report.index} and {len(report.files) - 1} more files into {report.folder}")
    if report.conforms is False:
        context.print("the graph does not conform to the shapes: see validation.txt")
        return 1
    return 0
