"""The outcome of a probe: one :class:`Row` per case, and the run's facts (:class:`ProbeReport`).

A report shows itself as an aligned text table (``str``/``to_text``), as an HTML table in a
notebook (``_repr_html_``) and as JSON (``to_dict``); :mod:`.render` draws them. It never holds
a secret: the credentials stay in the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare import VERDICTS, Verdict
from .context import Observed
from .expected import Expected

__all__ = ["ProbeReport", "Row"]


@dataclass(frozen=True)
class Row:
    """One case: what AWS answers, what the endpoint answered, the verdict."""

    id: str
    title: str
    group: str
    expected: Expected
    observed: Observed | None
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values."""
        return {
            "id": self.id,
            "title": self.title,
            "group": self.group,
            "expected": self.expected.to_dict(),
            "observed": self.observed.to_dict() if self.observed is not None else None,
            **self.verdict.to_dict(),
        }


@dataclass(repr=False)
class ProbeReport:
    """Every row, the endpoint's kind and region, when, with which versions, and the clean-up."""

    endpoint: str
    endpoint_kind: str
    region: str
    date: str
    versions: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    #: The ``Server`` header of the endpoint's first answer (``AmazonS3`` on AWS), if any.
    server: str | None = None
    #: One line per resource the clean-up deleted (empty with ``keep=True``).
    cleanup: list[str] = field(default_factory=list)
    #: The buckets and users left in place (``keep=True``, or a clean-up that failed).
    kept: list[str] = field(default_factory=list)
    #: True when the run was interrupted (the rows run so far are kept).
    interrupted: bool = False

    def row(self, case_id: str) -> Row:
        """The row of ``case_id`` (KeyError when it was not run)."""
        for row in self.rows:
            if row.id == case_id:
                return row
        raise KeyError(case_id)

    def verdicts(self) -> dict[str, str]:
        """``{case id: verdict}`` in run order."""
        return {row.id: row.verdict.verdict for row in self.rows}

    def ids(self, verdict: str) -> list[str]:
        """The ids of the cases with ``verdict``."""
        return [row.id for row in self.rows if row.verdict.verdict == verdict]

    def counts(self) -> dict[str, int]:
        """How many cases got each verdict (every verdict listed, zeros included)."""
        return {v: len(self.ids(v)) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready values (what ``--json`` and ``--record`` write)."""
        return {
            "schema": "presignlab-probe/1",
            "endpoint": self.endpoint,
            "endpoint_kind": self.endpoint_kind,
            "region": self.region,
            "date": self.date,
            "versions": dict(self.versions),
            "server": self.server,
            "interrupted": self.interrupted,
            "counts": self.counts(),
            "cases": [row.to_dict() for row in self.rows],
            "cleanup": list(self.cleanup),
            "kept": list(self.kept),
        }

    def to_text(self, *, width: int = 38) -> str:
        """The aligned text table with a summary line."""
        from .render import text_table

        return text_table(self, width=width)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        # short and free of the date, port and versions, so a notebook's plain output is stable
        from .render import summary

        return f"<ProbeReport: {self.endpoint_kind} endpoint, {summary(self)}>"

    def _repr_html_(self) -> str:
        from .render import html_table

        return html_table(self)
