"""``--record FILE`` and ``--compare FILE``: a probe run saved as JSON, and a run diffed with one.

A recording is :meth:`ProbeReport.to_dict` (schema ``presignlab-probe/1``: endpoint and its kind,
region, date, the presignlab/boto3/botocore versions, the ``Server`` header, every case with
AWS's expected answer, the endpoint's answer and the verdict). It holds no credential. Someone
who records real AWS can attach the file to a bug report; comparing a run with it shows, case
by case, whether the two endpoints answered alike (status, Code, Message).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .result import ProbeReport
from .target import ProbeError

__all__ = ["RecordComparison", "compare_with_recording", "load_recording", "save_recording"]

SCHEMA = "presignlab-probe/1"
#: The largest recording read (a full run is about 20 KB).
MAX_RECORDING = 2 * 1024 * 1024


def save_recording(report: ProbeReport, path: str | Path) -> Path:
    """Write ``report`` as JSON to ``path``; returns the path."""
    target = Path(path)
    target.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return target


def load_recording(path: str | Path) -> dict[str, Any]:
    """A recording read back (ProbeError when it is not one)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_RECORDING + 1)
    except OSError as exc:
        raise ProbeError(f"{str(path)[:80]!r} cannot be read: {exc.strerror or exc}.") from exc
    if len(raw) > MAX_RECORDING:
        raise ProbeError(f"{str(path)[:80]!r} is larger than a probe recording can be.")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProbeError(f"{str(path)[:80]!r} is not JSON: {exc}.") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ProbeError(f"{str(path)[:80]!r} is not a presignlab probe recording ({SCHEMA}).")
    cases = data.get("cases")
    if not isinstance(cases, list) or not all(
        isinstance(c, dict) and isinstance(c.get("id"), str) for c in cases
    ):
        raise ProbeError(f"{str(path)[:80]!r}: its cases are not a list of probe cases.")
    return data


def _answer(case: dict[str, Any] | None) -> dict[str, Any] | None:
    if case is None:
        return None
    observed = case.get("observed")
    return observed if isinstance(observed, dict) else None


def _label(observed: dict[str, Any] | None) -> str:
    if observed is None:
        return "-"
    code = observed.get("code")
    return f"{observed.get('status')} {code}" if code else str(observed.get("status"))


@dataclass(frozen=True)
class RecordComparison:
    """Per case: the recording's answer, this run's, and ``same`` / ``differs`` / ``not in both``."""

    recorded: str
    recorded_kind: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def ids(self, outcome: str) -> list[str]:
        """The case ids with ``outcome``."""
        return [case_id for case_id, _, _, result in self.rows if result == outcome]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "recorded": self.recorded,
            "recorded_kind": self.recorded_kind,
            "cases": [
                {"id": i, "recorded": r, "now": n, "result": result}
                for i, r, n, result in self.rows
            ],
        }

    def to_text(self) -> str:
        """An aligned table and a count line."""
        head = ("case", "recorded", "this run", "result")
        widths = [max(len(head[i]), *(len(r[i]) for r in self.rows)) for i in range(3)]
        lines = [f"compared with the recording of {self.recorded} ({self.recorded_kind})"]
        for cells in (head, *self.rows):
            lines.append(
                "  ".join(c.ljust(w) for c, w in zip(cells[:3], widths, strict=True))
                + "  "
                + cells[3]
            )
        same, differs = len(self.ids("same")), len(self.ids("differs"))
        lines.append(
            f"{same} same, {differs} differs, {len(self.rows) - same - differs} not in both"
        )
        return "\n".join(lines)


def compare_with_recording(report: ProbeReport, recording: dict[str, Any]) -> RecordComparison:
    """Each case's answer in this run next to the recording's (status, Code and Message)."""
    recorded = {c["id"]: c for c in recording["cases"]}
    now = {row.id: row.to_dict() for row in report.rows}
    rows = []
    for case_id in [*now, *(i for i in recorded if i not in now)]:
        before, after = _answer(recorded.get(case_id)), _answer(now.get(case_id))
        if before is None or after is None:
            result = "not in both"
        else:
            keys = ("status", "code", "message")
            result = "same" if all(before.get(k) == after.get(k) for k in keys) else "differs"
        rows.append((case_id, _label(before), _label(after), result))
    return RecordComparison(
        str(recording.get("endpoint", "?")), str(recording.get("endpoint_kind", "?")), rows
    )
