"""The probe's tables: aligned text for a terminal, HTML for a notebook.

Both show, per case, its id, what AWS answers (status and Code, from docs/aws-behaviour.md, with
the rule ids), what the endpoint answered, and the verdict; under a ``differs (message)`` row the
text table prints both messages, the HTML table puts them in the cell's tooltip and a second line.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .compare import DIFFERS, VERDICTS

if TYPE_CHECKING:
    from .result import ProbeReport, Row

__all__ = ["html_table", "summary", "text_table"]

_COLOURS = {
    "same": "#1a7f37",
    "differs": "#cf222e",
    "not applicable": "#6e7781",
    "skipped": "#9a6700",
}


def summary(report: ProbeReport) -> str:
    """``24 same, 3 differs, 1 not applicable, 2 skipped`` (interrupted runs say so)."""
    counts = report.counts()
    text = ", ".join(f"{counts[v]} {v}" for v in VERDICTS)
    return f"{text} (interrupted)" if report.interrupted else text


def _answered(row: Row) -> str:
    if row.observed is not None:
        return row.observed.label
    return "-"


def _verdict_text(row: Row) -> str:
    if row.verdict.reason:
        return f"{row.verdict.verdict}: {row.verdict.reason}"
    return row.verdict.label


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def text_table(report: ProbeReport, *, width: int = 38) -> str:
    """Aligned columns; a differing message is printed in full under its row."""
    head = ("case", "AWS answers", "endpoint answered", "verdict")
    rows = [(r.id, r.expected.label, _answered(r), _verdict_text(r)) for r in report.rows]
    widths = [min(width, max([len(head[i]), *(len(row[i]) for row in rows)])) for i in range(3)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(cells[:3])]
        return "  ".join([*padded, cells[3]]).rstrip()

    out = [
        f"presignlab probe: {report.endpoint_kind} endpoint, region {report.region}",
        line(head),
        line((*("-" * w for w in widths), "-" * 7)),
    ]
    for row, cells in zip(report.rows, rows, strict=True):
        out.append(line(cells))
        if "message" in row.verdict.differences and row.verdict.verdict == DIFFERS:
            out.append(f"    AWS:      {row.expected.message}")
            observed = row.observed.message if row.observed is not None else None
            out.append(f"    endpoint: {observed}")
    out.append(summary(report))
    return "\n".join(out)


def _cell(text: str, title: str | None = None, colour: str | None = None) -> str:
    style = "text-align:left" + (f";color:{colour}" if colour else "")
    tip = f" title='{escape(title, quote=True)}'" if title else ""
    return f"<td style='{style}'{tip}>{text}</td>"


def html_table(report: ProbeReport) -> str:
    """A table for Jupyter: one row per case, verdicts coloured, messages as tooltips."""
    body = []
    for row in report.rows:
        expected = escape(row.expected.label)
        rules = ", ".join(row.expected.rules)
        observed = row.observed
        answered = escape(_answered(row))
        verdict = escape(_verdict_text(row))
        if row.verdict.verdict == DIFFERS and "message" in row.verdict.differences:
            message = escape(observed.message or "") if observed is not None else ""
            answered += f"<br><small>{message}</small>"
        body.append(
            "<tr>"
            + _cell(f"<code>{escape(row.id)}</code>", row.title)
            + _cell(f"{expected}<br><small>{escape(rules)}</small>", row.expected.message)
            + _cell(answered, observed.message if observed is not None else None)
            + _cell(verdict, None, _COLOURS.get(row.verdict.verdict))
            + "</tr>"
        )
    caption = escape(f"{report.endpoint_kind} endpoint, region {report.region}: {summary(report)}")
    return (
        f"<table><caption style='text-align:left'>{caption}</caption><thead><tr>"
        "<th>case</th><th>AWS answers</th><th>endpoint answered</th><th>verdict</th>"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
