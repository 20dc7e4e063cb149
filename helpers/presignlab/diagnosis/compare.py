"""Compare what the signer signed with what S3 computed, component by component.

A SigV4 canonical request has six parts (AWS S3 API reference, "Signature Calculations for
the Authorization Header"): method, canonical URI, canonical query string, canonical headers,
signed headers and the payload line. :func:`compare_canonical_requests` splits both texts
into those parts and returns a :class:`Comparison` naming each difference (a query parameter
added, removed or changed; a signed header missing, changed or extra; ...), plus the string
to sign and the signature when they are known. SigV2 has no canonical request; its string
to sign is compared line by line with :func:`compare_sigv2_strings_to_sign`.

The :class:`Comparison` shows itself as a side-by-side HTML table in a notebook and as
aligned text (coloured on a terminal) elsewhere; see :mod:`presignlab.diagnosis.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ..signing.presigned_url import parse_presigned_url
from ..signing.sent_request import SentRequest, sigv4_canonical_request
from ..signing.sigv4 import HeaderPairs
from . import render

__all__ = [
    "CanonicalRequestParts",
    "Comparison",
    "Difference",
    "Row",
    "actual_canonical_request",
    "canonical_request_for_url",
    "compare_canonical_requests",
    "compare_sigv2_strings_to_sign",
    "expected_canonical_request",
    "parse_canonical_request",
]

_ABSENT = None


@dataclass(frozen=True)
class CanonicalRequestParts:
    """A SigV4 canonical request split into its parts (query pairs stay encoded)."""

    method: str
    uri: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    signed_headers: tuple[str, ...]
    payload: str


def parse_canonical_request(text: str) -> CanonicalRequestParts:
    """Split a canonical request text; missing parts are empty, nothing raises."""
    lines = text.replace("\r\n", "\n").split("\n")
    method, uri, query = ([*lines, "", "", ""])[:3]
    rest = lines[3:]
    blank = rest.index("") if "" in rest else len(rest)
    headers = tuple((line.partition(":")[0], line.partition(":")[2]) for line in rest[:blank])
    tail = [*rest[blank + 1 :], "", ""]
    pairs = tuple(
        (item.partition("=")[0], item.partition("=")[2]) for item in query.split("&") if item
    )
    signed = tuple(h for h in tail[0].split(";") if h)
    return CanonicalRequestParts(method, uri, pairs, headers, signed, tail[1])


@dataclass(frozen=True)
class Difference:
    """One differing component. ``kind`` is changed, added, removed, missing or extra."""

    component: (
        str  # method, uri, query, header, signed-headers, payload, string-to-sign, signature, ...
    )
    name: str
    kind: str
    expected: str | None
    actual: str | None

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready view."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Row:
    """One aligned line of the side-by-side view."""

    label: str
    expected: str | None
    actual: str | None

    @property
    def differs(self) -> bool:
        return self.expected != self.actual


@dataclass(frozen=True)
class Comparison:
    """The result of a comparison; empty ``differences`` means the two sides agree."""

    kind: str  # "sigv4-canonical-request" or "sigv2-string-to-sign"
    expected: str
    actual: str
    differences: tuple[Difference, ...]
    rows: tuple[Row, ...] = field(repr=False)
    titles: tuple[str, str] = ("expected (signed)", "actual (S3 computed)")

    @property
    def matches(self) -> bool:
        """True when nothing differs."""
        return not self.differences

    def by_component(self, component: str) -> tuple[Difference, ...]:
        """The differences of one component (``"header"``, ``"query"``, ...)."""
        return tuple(d for d in self.differences if d.component == component)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready view."""
        return {
            "kind": self.kind,
            "matches": self.matches,
            "expected": self.expected,
            "actual": self.actual,
            "differences": [d.to_dict() for d in self.differences],
        }

    def to_text(self, *, color: bool | None = None, stream: TextIO | None = None) -> str:
        """Aligned text; coloured when ``color`` is True, or None and ``stream`` is a TTY."""
        return render.as_text(self, color=render.wants_color(color, stream))

    def _repr_html_(self) -> str:
        return render.as_html(self)

    def __str__(self) -> str:
        return self.to_text(color=False)


def _keyed(
    component: str,
    exp: dict[str, str],
    act: dict[str, str],
    rows: list[Row],
    diffs: list[Difference],
    kinds: tuple[str, str],
) -> None:
    """Compare by name. A header with an empty value counts as absent; a query parameter does not."""
    empty_is_absent = component == "header"
    for name in sorted(set(exp) | set(act)):
        e, a = exp.get(name, _ABSENT), act.get(name, _ABSENT)
        rows.append(Row(f"{component} {name}", e, a))
        if e == a:
            continue
        e_there = bool(e) if empty_is_absent else e is not None
        a_there = bool(a) if empty_is_absent else a is not None
        if e_there and not a_there:
            kind = kinds[0]
        elif a_there and not e_there:
            kind = kinds[1]
        else:
            kind = "changed"
        diffs.append(Difference(component, name, kind, e, a))


def _single(
    component: str, e: str | None, a: str | None, rows: list[Row], diffs: list[Difference]
) -> None:
    rows.append(Row(component, e, a))
    if e != a:
        diffs.append(Difference(component, component, "changed", e, a))


def _string_to_sign(
    expected: str | None, actual: str | None, rows: list[Row], diffs: list[Difference]
) -> None:
    if expected is None or actual is None:
        return
    names = ("algorithm", "date", "scope", "canonical-request-hash")
    e_lines, a_lines = expected.split("\n"), actual.split("\n")
    for i in range(max(len(e_lines), len(a_lines), len(names))):
        e = e_lines[i] if i < len(e_lines) else None
        a = a_lines[i] if i < len(a_lines) else None
        name = names[i] if i < len(names) else f"line {i + 1}"
        rows.append(Row(f"string-to-sign {name}", e, a))
        if e != a:
            diffs.append(Difference("string-to-sign", name, "changed", e, a))


def _multi(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        found.setdefault(name, []).append(value)
    return {n: "&".join(v) for n, v in found.items()}


def compare_canonical_requests(
    expected: str,
    actual: str,
    *,
    expected_string_to_sign: str | None = None,
    actual_string_to_sign: str | None = None,
    expected_signature: str | None = None,
    actual_signature: str | None = None,
    titles: tuple[str, str] = ("expected (signed)", "actual (S3 computed)"),
) -> Comparison:
    """Compare two SigV4 canonical requests part by part (and their strings to sign and signatures)."""
    e, a = parse_canonical_request(expected), parse_canonical_request(actual)
    rows: list[Row] = []
    diffs: list[Difference] = []
    _single("method", e.method, a.method, rows, diffs)
    _single("uri", e.uri, a.uri, rows, diffs)
    _keyed("query", _multi(e.query), _multi(a.query), rows, diffs, ("removed", "added"))
    _keyed("header", _multi(e.headers), _multi(a.headers), rows, diffs, ("missing", "extra"))
    _single("signed-headers", ";".join(e.signed_headers), ";".join(a.signed_headers), rows, diffs)
    _single("payload", e.payload, a.payload, rows, diffs)
    _string_to_sign(expected_string_to_sign, actual_string_to_sign, rows, diffs)
    if expected_signature is not None and actual_signature is not None:
        _single("signature", expected_signature, actual_signature, rows, diffs)
    return Comparison(
        "sigv4-canonical-request", expected, actual, tuple(diffs), tuple(rows), titles
    )


def _split_v2(text: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    lines = text.split("\n")
    head = [*lines[:4], "", "", "", ""][:4]
    fixed = list(zip(("method", "content-md5", "content-type", "expires"), head, strict=True))
    amz = _multi([tuple(line.partition(":")[::2]) for line in lines[4:-1]])  # type: ignore[misc]
    fixed.append(("resource", lines[-1] if len(lines) > 4 else ""))
    return fixed, amz


def compare_sigv2_strings_to_sign(
    expected: str,
    actual: str,
    *,
    titles: tuple[str, str] = ("expected (signed)", "actual (S3 computed)"),
) -> Comparison:
    """Compare two SigV2 strings to sign: method, Content-MD5, Content-Type, Expires, x-amz-* headers, resource."""
    (e_fixed, e_amz), (a_fixed, a_amz) = _split_v2(expected), _split_v2(actual)
    rows: list[Row] = []
    diffs: list[Difference] = []
    for (name, e), (_, a) in zip(e_fixed[:4], a_fixed[:4], strict=True):
        _single(name, e, a, rows, diffs)
    _keyed("header", e_amz, a_amz, rows, diffs, ("missing", "extra"))
    _single("resource", e_fixed[4][1], a_fixed[4][1], rows, diffs)
    return Comparison("sigv2-string-to-sign", expected, actual, tuple(diffs), tuple(rows), titles)


def canonical_request_for_url(url: str, method: str, headers: HeaderPairs = ()) -> str:
    """The SigV4 canonical request for ``method`` on ``url`` with ``headers`` and the URL's SignedHeaders.

    With the headers the signer used this is what was signed; with the headers the request
    carried it is what S3 computes. Raises :class:`~presignlab.errors.PresignedUrlError` for an
    unreadable URL.
    """
    parsed = parse_presigned_url(url)
    return sigv4_canonical_request(SentRequest.to_url(url, method, headers), parsed.signed_headers)


def expected_canonical_request(url: str, method: str, signer_headers: HeaderPairs = ()) -> str:
    """What the signer signed: the URL plus the headers (and values) given to the signer."""
    return canonical_request_for_url(url, method, signer_headers)


def actual_canonical_request(url: str, method: str, sent_headers: HeaderPairs = ()) -> str:
    """What S3 computes for the request received: the URL, the method and the headers sent."""
    return canonical_request_for_url(url, method, sent_headers)
