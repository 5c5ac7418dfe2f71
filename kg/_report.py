"""The relationship report: maps, timeline, rankings, contested claims and named queries in one folder.

:func:`write_report` validates the graph, then writes into a folder the whole map, an ego map of
the most central actor, a timeline, the centrality table, the contested claims and the answer of
every named query, with an ``index.md`` and an ``index.html`` that link them. Everything is
written to a staging folder first and moved into place at the end, so a failure leaves the
folder as it was.

The maps take contested claims in by default (``claims=True``): the reader sees the accusations,
denials and endorsements as dashed edges, each claim numbered in the legend, next to the relations
nobody disputes; the table of contested claims lists who asserts, disputes and endorses each.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

import networkx as nx

from kg._analysis import centrality
from kg._drawing import draw, draw_timeline, save_figure
from kg._errors import InputError, KGError
from kg._files import publish
from kg._network import ProjectionKeywords, ProjectionOptions, describe_view, project
from kg._query import list_queries, query
from kg._store import Store
from kg._summary import summarize
from kg._tabular import Table, cell_text, short_iri
from kg._validation import ValidationReport, validate
from kg._web import draw_html

__all__ = ["Report", "write_report"]

log = logging.getLogger(__name__)

_PREVIEW = 10  # rows of each table shown in the index (the CSV files hold them all)
_CROWDED = 80  # actors beyond which the report's main map is the top view, not the whole graph


@dataclass
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    folder : Path
        The report's folder.
    index : Path
        ``index.md`` in it (``index.html`` lies beside it).
    files : list of Path
        Every file written, the index first.
    conforms : bool or None
        Whether the graph conforms to the SHACL shapes (None when validation was skipped).

    Examples
    --------
    >>> import kg, tempfile
    >>> report = kg.write_report(kg.load(), tempfile.mkdtemp(), svg=False, queries=False)
    >>> isinstance(report, kg.Report), report.index.name
    (True, 'index.md')
    """

    folder: Path
    index: Path
    files: list[Path] = field(default_factory=list)
    conforms: bool | None = None


@dataclass
class _Section:
    """One part of the index: a heading, text lines, images and a table preview."""

    heading: str
    lines: list[str] = field(default_factory=list)
    images: list[tuple[str, str, str]] = field(default_factory=list)  # (alt text, PNG, SVG or "")
    table: Table | None = None
    table_file: str = ""
    level: int = 2


def write_report(
    store: Store,
    folder: str | Path,
    options: ProjectionOptions | None = None,
    *,
    measure: str = "degree",
    top: int = 40,
    hops: int = 1,
    dpi: float = 100.0,
    svg: bool = True,
    validation: bool = True,
    queries: bool | Iterable[str] = True,
    files: Sequence[Path] = (),
    **overrides: Unpack[ProjectionKeywords],
) -> Report:
    """Write the relationship report of ``store`` into ``folder``.

    Parameters
    ----------
    store : Store
        Any engine.
    folder : str or Path
        The report's folder; created if needed. Files of an earlier report are replaced, other
        files are left alone.
    options : ProjectionOptions, optional
        The options of :func:`kg.project` for the maps and the centrality table (the time cut also
        applies to the named queries). ``claims`` is on by default: contested accounts are drawn,
        dashed.
    measure : str, default "degree"
        The centrality measure of the table, of the node sizes and of the choice of ego.
    top : int, default 40
        Actors of the main map when the graph has more than 80 (the top view instead of the
        whole graph).
    hops : int, default 1
        Reach of the ego map.
    dpi : float, default 100
        Resolution of the PNG maps.
    svg : bool, default True
        Also write each map as SVG.
    validation : bool, default True
        Validate the graph against the SHACL shapes first (the report says whether it conforms).
        Turn it off for a large store: validation reads the whole graph into memory.
    queries : bool or iterable of str, default True
        Run every named query (True), none (False) or those named. A query with a required actor
        parameter gets the most central actors.
    files : sequence of Path
        The data files the graph was loaded from, so that violations name their file and line.
    **overrides
        Any field of :class:`kg.ProjectionOptions` as a keyword, replacing the value of ``options``.

    Returns
    -------
    Report
        The folder, the index and the files written, and whether the graph conforms.

    Raises
    ------
    InputError
        For a folder that cannot be created or a bad option (date, relation, measure).

    Examples
    --------
    >>> import tempfile, kg
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     report = kg.write_report(kg.load(), folder, svg=False, queries=False)
    ...     report.conforms, report.index.name, len(report.files)
    (True, 'index.md', 9)
    """
    folder = Path(folder)
    if not isinstance(queries, bool):
        queries = list(queries)
        shipped = [q.name for q in list_queries()]
        unknown = sorted(set(queries) - set(shipped))
        if unknown:
            raise InputError(
                f"unknown named queries: {', '.join(unknown)}; the named queries are: " + ", ".join(shipped)
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the report folder: {exc.strerror}") from exc
    chosen = ProjectionOptions.of(options, **overrides)
    cut = {"as_of": chosen.as_of, "since": chosen.since, "until": chosen.until}
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=folder))
    try:
        wanted = None if queries is True else set() if queries is False else set(queries)  # type: ignore[arg-type]
        written, conforms = _write(
            store,
            staging,
            chosen,
            cut,
            measure=measure,
            top=top,
            hops=hops,
            dpi=dpi,
            svg=svg,
            validation=validation,
            queries=wanted,
            files=files,
        )
        moved = []
        for relative in written:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            publish(staging / relative, target)
            moved.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("wrote the report to %s (%d files)", folder, len(moved))
    return Report(folder, folder / "index.md", moved, conforms)


def _write(
    store: Store,
    out: Path,
    options: ProjectionOptions,
    cut: dict[str, Any],
    *,
    measure: str,
    top: int,
    hops: int,
    dpi: float,
    svg: bool,
    validation: bool,
    queries: set[str] | None,
    files: Sequence[Path],
) -> tuple[list[Path], bool | None]:
    """Write every file of the report into ``out``; return their paths (relative) and conformance.

    ``queries`` names the named queries to run (None: all).
    """
    written: list[Path] = []
    sections: list[_Section] = []

    def save(relative: str, text: str) -> str:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(Path(relative))
        return relative

    def figure(name: str, made: Any) -> tuple[str, str]:
        png = f"{name}.png"
        save_figure(made, out / png, dpi=dpi)
        written.append(Path(png))
        if not svg:
            return png, ""
        save_figure(made, out / f"{name}.svg")
        written.append(Path(f"{name}.svg"))
        return png, f"{name}.svg"

    # One projection for the maps and the ranking; the ranking chooses the ego of the map.
    graph = project(store, options)

    # the graph and its validity
    summary = summarize(store)
    conforms: bool | None = None
    overview = _Section(
        "The graph",
        [
            f"{summary.events:,} events, {summary.claims:,} claims, {summary.states:,} standing relations, "
            f"{sum(summary.actors_by_kind.values()):,} actors, {summary.sources:,} sources; events dated "
            f"{summary.first_date or '-'} to {summary.last_date or '-'}.",
            f"Cut and filters of the maps and tables: {_describe(options, graph)}.",
        ],
    )
    if validation:
        report = validate(store.to_graph(), files=list(files))
        conforms = report.conforms
        save("validation.txt", report.text(warnings=True) + "\n")
        overview.lines.append(_validity(report) + " ([validation.txt](validation.txt))")
    else:
        overview.lines.append("Validation skipped.")
    sections.append(overview)

    actors = graph.number_of_nodes()
    ranking = _table(centrality(graph, measure=measure))
    save("centrality.csv", ranking.to_text("csv"))

    maps = _Section(
        "Maps",
        [
            "How to read them: node shape and colour give the kind of actor, node size its centrality "
            f"({measure}); blue edges are cooperative, vermillion conflictual, grey neutral; arrows run from "
            "actor to target (none for mutual relations); width counts events; a dashed edge is part of a "
            "contested account, its claim numbered in the legend.",
        ],
    )
    view = "graph" if actors <= _CROWDED else "top"
    png, vector = figure("map", draw(graph, store=store, view=view, top=top, measure=measure, dpi=dpi))
    whole = "Whole map" if view == "graph" else f"Map of the {min(top, actors)} most central actors"
    maps.images.append((whole, png, vector))
    first = ranking.rows[0] if ranking.rows else None
    if first is not None:
        label, iri = str(first[1]), str(first[5])
        name = "ego-" + _slug(short_iri(iri).split(":", 1)[-1].rsplit("/", 1)[-1])
        png, vector = figure(name, draw(graph, store=store, focus=iri, hops=hops, measure=measure, dpi=dpi, top=top))
        maps.images.append((f"Ego map of {label}, the most central actor ({measure})", png, vector))
    page = draw_html(graph, store=store, top=top if view == "top" else None, measure=measure)
    save("map.html", page.html)
    maps.lines.append(
        f"[Interactive map](map.html) (one HTML file, opens offline: click an edge for its evidence, "
        f"move through time, filter; {page.size / 1024:,.0f} KiB)."
    )
    png, vector = figure("timeline", draw_timeline(graph, store=store, dpi=dpi))
    maps.images.append(("Timeline of events by dyad", png, vector))
    sections.append(maps)

    sections.append(
        _Section(
            f"Centrality ({measure})", [f"{len(ranking):,} actors ranked."], table=ranking, table_file="centrality.csv"
        )
    )

    contested = _table(query(store, "claims", **cut).to_table())
    save("contested-claims.csv", contested.to_text("csv"))
    sections.append(
        _Section(
            "Contested claims",
            [
                "Each stance (asserts, disputes, endorses) on a claim that someone disputes or that "
                "contradicts another: claims are accounts, never facts of the graph."
            ],
            table=contested,
            table_file="contested-claims.csv",
        )
    )

    shipped = list_queries()
    chosen = [q for q in shipped if queries is None or q.name in queries]
    if chosen:
        sections.append(
            _Section(
                "Named queries",
                [
                    ("The answer of every query" if len(chosen) == len(shipped) else "The answers of the queries")
                    + " shipped with the package (`kg queries` lists them, `kg query NAME` runs one)."
                ],
            )
        )
    names = [str(row[5]) for row in ranking.rows[:2]]
    for named in chosen:
        params = _parameters(named.parameters, names)
        if params is None:
            sections.append(
                _Section(named.name, [named.description, "Not run: it needs actors the graph does not have."], level=3)
            )
            continue
        try:
            answer = _table(query(store, named.name, params=params, **cut).to_table())
        except KGError as exc:  # one failing query must not sink the report
            log.warning("named query %s failed: %s", named.name, exc)
            sections.append(_Section(named.name, [named.description, f"Failed: {exc}"], level=3))
            continue
        relative = save(f"queries/{named.name}.csv", answer.to_text("csv"))
        given = ", ".join(f"{k} = {_label(graph, v)}" for k, v in params.items())
        lines = [named.description] + ([f"Parameters: {given}."] if given else [])
        sections.append(_Section(named.name, lines, table=answer, table_file=relative, level=3))

    title = "Relationship report"
    save("index.md", _markdown(title, sections))
    save("index.html", _html(title, sections))
    index = [Path("index.md"), Path("index.html")]
    return index + [p for p in written if p not in index], conforms


def _describe(options: ProjectionOptions, graph: nx.MultiDiGraph[Any]) -> str:
    parts = [
        f"{text} {value}"
        for text, value in (("as of", options.as_of), ("since", options.since), ("until", options.until))
        if value
    ]
    if not parts:
        parts.append("all dates")
    if options.relations:
        parts.append("relations " + ", ".join(options.relations))
    if options.signs:
        parts.append("signs " + ", ".join({1: "+", -1: "-"}.get(sign, "0") for sign in options.signs))
    parts.append(describe_view(graph))
    return "; ".join(parts)


def _validity(report: ValidationReport) -> str:
    if report.conforms:
        warnings = f", with {len(report.warnings)} warning(s)" if report.warnings else ""
        return f"**The graph conforms** to the SHACL shapes{warnings}."
    return f"**The graph does NOT conform** to the SHACL shapes: {len(report.violations)} violation(s)."


def _parameters(parameters: Sequence[Any], actors: Sequence[str]) -> dict[str, str] | None:
    """Fill the required actor parameters with the most central actors; None if there are too few."""
    params: dict[str, str] = {}
    pool = list(actors)
    for parameter in parameters:
        if not parameter.required:
            continue
        if parameter.kind != "actor" or not pool:
            return None
        params[parameter.name] = pool.pop(0)
    return params


def _label(graph: Any, iri: str) -> str:
    return str(graph.nodes[iri].get("label", iri)) if iri in graph else short_iri(iri)


def _table(table: Table) -> Table:
    """Drop the query's own title; keep columns and rows."""
    return Table(list(table.columns), list(table.rows))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "actor"


def _cell(value: Any) -> str:
    return cell_text(value).replace("|", "\\|").replace("\n", " ")


def _markdown(title: str, sections: Sequence[_Section]) -> str:
    out = [f"# {title}", ""]
    for section in sections:
        out += ["#" * section.level + " " + section.heading, ""]
        for line in section.lines:
            out += [line, ""]
        for alt, png, vector in section.images:
            out += [f"**{alt}** ([PNG]({png})" + (f", [SVG]({vector}))" if vector else ")"), "", f"![{alt}]({png})", ""]
        if section.table is not None:
            table = section.table
            if len(table):
                out.append("| " + " | ".join(table.columns) + " |")
                out.append("|" + "|".join("---" for _ in table.columns) + "|")
                out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows[:_PREVIEW]]
                out.append("")
            shown = f"first {_PREVIEW} of {len(table):,} rows; " if len(table) > _PREVIEW else ""
            count = f"{len(table):,} row{'s' if len(table) != 1 else ''}"
            link = f"[{section.table_file}]({section.table_file})"
            out += [f"{count if not shown else shown.rstrip('; ')}: {link}", ""]
    return "\n".join(out)


def _html(title: str, sections: Sequence[_Section]) -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;"
        "color:#222}img{max-width:100%;border:1px solid #ddd}"
        "table{border-collapse:collapse;font-size:.85em}"
        "td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}"
        "th{background:#f2f2f2}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for section in sections:
        out.append(f"<h{section.level}>{esc(section.heading)}</h{section.level}>")
        for line in section.lines:
            text = esc(line)
            text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
            text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
            out.append(f"<p>{text}</p>")
        for alt, png, vector in section.images:
            links = f'<a href="{esc(png)}">PNG</a>' + (f', <a href="{esc(vector)}">SVG</a>' if vector else "")
            out.append(
                f"<figure><figcaption><strong>{esc(alt)}</strong> ({links})</figcaption>"
                f'<img src="{esc(png)}" alt="{esc(alt)}"></figure>'
            )
        if section.table is not None:
            preview = Table(list(section.table.columns), list(section.table.rows[:_PREVIEW]))
            if len(preview):
                out.append(preview._repr_html_())
            out.append(
                f'<p>{len(section.table):,} rows: <a href="{esc(section.table_file)}">{esc(section.table_file)}</a></p>'
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
