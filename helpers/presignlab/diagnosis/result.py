"""The result of a diagnosis: verdict, ranked findings and the evidence behind them."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..signing.presigned_url import PresignedUrl
from .compare import Comparison
from .error_body import S3ErrorBody
from .findings import Finding
from .redact import redact, token_forms
from .render import wants_color

__all__ = ["DEFAULT_METHOD", "EXIT_STATUS", "Diagnosis"]

#: The method assumed when none is given: this kit is about presigned upload (PUT) URLs.
DEFAULT_METHOD = "PUT"
#: Exit status of ``presignlab diagnose`` for each verdict.
EXIT_STATUS = {"ok": 0, "problems": 1, "invalid-input": 2}


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose`: verdict, ranked findings and the evidence."""

    verdict: str  # ok | problems | invalid-input
    findings: tuple[Finding, ...] = ()
    url: PresignedUrl | None = None
    method: str = DEFAULT_METHOD
    canonical_request: str | None = None
    string_to_sign: str | None = None
    signature_provided: str | None = None
    signature_computed: str | None = None
    signature_matches: bool | None = None
    comparison: Comparison | None = None
    error_body: S3ErrorBody | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None

    @property
    def codes(self) -> list[str]:
        """The finding codes, most likely cause first."""
        return [f.code for f in self.findings]

    @property
    def exit_status(self) -> int:
        """0 ok, 1 problems, 2 invalid input."""
        return EXIT_STATUS[self.verdict]

    def _tokens(self) -> list[str]:
        return token_forms(self.url.query) if self.url else []

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``presignlab diagnose --json`` (session tokens masked)."""
        return redact(self._raw_dict(), tokens=self._tokens())  # type: ignore[no-any-return]

    def _raw_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "url": self.url.to_dict() if self.url else None,
            "method": self.method,
            "canonical_request": self.canonical_request,
            "string_to_sign": self.string_to_sign,
            "signature_provided": self.signature_provided,
            "signature_computed": self.signature_computed,
            "signature_matches": self.signature_matches,
            "comparison": self.comparison.to_dict() if self.comparison else None,
            "error_body": self.error_body.to_dict() if self.error_body else None,
            "notes": list(self.notes),
            "error": self.error,
        }

    def to_text(self, *, color: bool | None = None) -> str:
        """Human output: verdict, each finding with its fix, the comparison, the signatures."""
        return redact(self._raw_text(color), tokens=self._tokens())  # type: ignore[no-any-return]

    def _raw_text(self, color: bool | None) -> str:
        colored = wants_color(color)
        if self.verdict == "invalid-input":
            return f"invalid input: {self.error}"
        lines = [f"verdict: {self.verdict} ({len(self.findings)} finding(s))"]
        for i, item in enumerate(self.findings, 1):
            code = f"\x1b[1m[{item.code}]\x1b[0m" if colored else f"[{item.code}]"
            lines += [f"{i}. {code} {item.message}", f"   fix: {item.fix}"]
        if self.comparison is not None:
            lines += ["", self.comparison.to_text(color=colored)]
        if self.signature_provided is not None:
            lines += ["", f"signature provided: {self.signature_provided}"]
        if self.signature_computed is not None:
            lines.append(
                f"signature computed: {self.signature_computed} "
                f"({'matches' if self.signature_matches else 'differs'})"
            )
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return redact(self._raw_html(), tokens=self._tokens())  # type: ignore[no-any-return]

    def _raw_html(self) -> str:
        if self.verdict == "invalid-input":
            return f"<p><b>invalid input</b>: {html.escape(self.error or '')}</p>"
        rows = "".join(
            f"<tr><td style='text-align:left'><code>{html.escape(f.code)}</code></td>"
            f"<td style='text-align:left'>{html.escape(f.message)}</td>"
            f"<td style='text-align:left'>{html.escape(f.fix)}</td></tr>"
            for f in self.findings
        )
        table = (
            (
                f"<table><thead><tr><th>code</th><th>message</th><th>fix</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
            if rows
            else ""
        )
        comparison = self.comparison._repr_html_() if self.comparison is not None else ""
        return f"<p><b>verdict: {html.escape(self.verdict)}</b></p>{table}{comparison}"

    def __str__(self) -> str:
        return self.to_text(color=False)
