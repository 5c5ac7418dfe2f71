"""The web side of dipkg: the interactive map page and ``kg serve``.

:func:`draw_html` writes the interactive map (one self-contained HTML file, see
:mod:`kg._web.page`); :mod:`kg._web.server` is the HTTP server of ``kg serve`` (it needs the
``serve`` extra: starlette and uvicorn).
"""

from kg._web.page import DAY_LIMIT, RECORD_BUDGET, HtmlMap, draw_html

__all__ = ["DAY_LIMIT", "RECORD_BUDGET", "HtmlMap", "draw_html"]
