"""The stable finding codes of ``presignlab diagnose``, as data.

Each :class:`FindingCode` says what the code means, what to do about it and what Amazon S3
answers in that case. The tuple :data:`FINDING_CODES` is ordered the way S3 evaluates a
presigned request (reference, section 1b: parameter format and endpoint, then expiry, then
the access key and token, then unsigned ``x-amz-*`` headers, then the signature, then
authorization, CORS and the operation itself), which is also the order a diagnosis ranks its
findings in. The texts live in :mod:`.codes_request` and :mod:`.codes_refusal`.

``docs/finding-codes.md`` is generated from this module (a test checks it is current)::

    python -c "from presignlab.diagnosis.codes import markdown_table; print(markdown_table(), end='')" > docs/finding-codes.md

The codes are a public interface: never rename or remove one.
"""

from __future__ import annotations

from .refusal import REFUSAL_CODES
from .request import REQUEST_CODES, SIGNATURE_CODE_TABLE
from .shape import FindingCode

__all__ = ["CODES", "FINDING_CODES", "SIGNATURE_CODES", "FindingCode", "markdown_table"]

FINDING_CODES: tuple[FindingCode, ...] = REQUEST_CODES + SIGNATURE_CODE_TABLE + REFUSAL_CODES

#: Code name -> :class:`FindingCode`.
CODES: dict[str, FindingCode] = {c.code: c for c in FINDING_CODES}
#: Codes that explain a SignatureDoesNotMatch; they are ranked together, strongest first.
SIGNATURE_CODES = frozenset(c.code for c in SIGNATURE_CODE_TABLE)


def markdown_table() -> str:
    """The Markdown page ``docs/finding-codes.md`` (one table row per code, in rank order)."""
    lines = [
        "# Finding codes of `presignlab diagnose`",
        "",
        (
            "Generated from `presignlab.diagnosis.codes.markdown_table()`. The codes are stable. "
            "Findings are ranked in this order (the order in which Amazon S3 checks a request); "
            "among the signature codes, causes confirmed by recomputing the signature come first, "
            "and a suspected `wrong-secret-key` or `signature-mismatch-unexplained` comes after "
            "every request-side explanation."
        ),
        "",
        (
            "Each finding has a confidence: `confirmed` (a fact of the URL, or a cause the kit "
            "reproduced: one change that recreates the URL's signature exactly), `reported-by-s3` "
            "(S3's error body says it) or `suspected` (a likely cause the kit could not reproduce; "
            "its message says what was and was not checked)."
        ),
        "",
        "| Code | Meaning | Fix | What S3 answers |",
        "|---|---|---|---|",
    ]
    for c in FINDING_CODES:
        cells = [f"`{c.code}`", c.meaning, c.fix, c.s3_answer]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines) + "\n"
