"""Show a :class:`~presignlab.diagnosis.compare.Comparison` where people read it.

:func:`as_html` is a side-by-side table with the differing lines highlighted (a notebook calls
it through ``Comparison._repr_html_``); :func:`as_text` is aligned text for a terminal,
coloured with ANSI escapes only when asked (:func:`wants_color` decides: explicit choice,
else colour when the stream is a TTY and ``NO_COLOR`` is not set).
"""

from __future__ import annotations

import html
import os
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .compare import Comparison

__all__ = ["as_html", "as_text", "wants_color"]

_ABSENT = "(absent)"
_RED, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m"
_WIDTH = 48


def wants_color(color: bool | None, stream: TextIO | None = None) -> bool:
    """``color`` when given; otherwise True only for a TTY stream (stdout by default) without NO_COLOR."""
    if color is not None:
        return color
    target = stream if stream is not None else sys.stdout
    try:
        return bool(target.isatty()) and "NO_COLOR" not in os.environ
    except (AttributeError, ValueError):
        return False


def _show(value: str | None) -> str:
    if value is None:
        return _ABSENT
    return value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value


def as_text(comparison: Comparison, *, color: bool = False) -> str:
    """One line per component: a ``!`` marker on differing lines, then label, expected, actual."""
    rows = comparison.rows
    label_w = max([len(r.label) for r in rows] + [9])
    exp_w = min(_WIDTH, max([len(_show(r.expected)) for r in rows] + [len(comparison.titles[0])]))
    head = f"  {'component':<{label_w}}  {comparison.titles[0]:<{exp_w}}  {comparison.titles[1]}"
    lines = [f"{_BOLD}{head}{_RESET}" if color else head]
    for row in rows:
        exp, act = _show(row.expected), _show(row.actual)
        if row.differs and color:
            lines.append(
                f"! {row.label:<{label_w}}  {_GREEN}{exp:<{exp_w}}{_RESET}  {_RED}{act}{_RESET}"
            )
        else:
            mark = "!" if row.differs else " "
            lines.append(f"{mark} {row.label:<{label_w}}  {exp:<{exp_w}}  {act}")
    verdict = "identical" if comparison.matches else f"{len(comparison.differences)} difference(s)"
    lines.append(f"  => {verdict}")
    return "\n".join(lines)


def as_html(comparison: Comparison, *, inline_style: bool = True) -> str:
    """A side-by-side table; differing rows get a coloured background and a ``≠`` marker.

    ``inline_style=False`` marks differing rows with ``class='differs'`` instead of a ``style``
    attribute, for pages whose Content-Security-Policy refuses inline styles.
    """
    th = "<th style='text-align:left'>" if inline_style else "<th>"
    head = "".join(f"{th}{html.escape(t)}</th>" for t in ("", "component", *comparison.titles))
    body = []
    for row in comparison.rows:
        style = ""
        if row.differs:
            style = " style='background:#ffe3e3'" if inline_style else " class='differs'"
        cells = [
            "&ne;" if row.differs else "",
            html.escape(row.label),
            f"<code>{html.escape(_show(row.expected))}</code>",
            f"<code>{html.escape(_show(row.actual))}</code>",
        ]
        cell = "<td style='text-align:left'>" if inline_style else "<td>"
        body.append(f"<tr{style}>" + "".join(f"{cell}{c}</td>" for c in cells) + "</tr>")
    verdict = "identical" if comparison.matches else f"{len(comparison.differences)} difference(s)"
    return (
        f"<table class='presignlab-comparison'><caption>{html.escape(comparison.kind)}: {verdict}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
