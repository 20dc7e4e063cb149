"""Query candidates: parameters added, removed or edited after signing.

A parameter added after signing is removed again; a parameter an SDK adds on its own
(:data:`~.values.SDK_QUERY_PARAMETERS`: ``x-id``, ``X-Amz-Content-Sha256``, the JS SDK v3
checksum pair) is put back when a tool stripped it; an edited value is tried at the value of
a header of the same name that was sent, an SDK's default, a common value, a nearby number
(boto3's ``partNumber`` reused for the next part) or a common expiry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ....signing.presigned_url import SIGV4_PARAMETERS
from .base import Candidate, SearchInput
from .values import (
    COMMON_EXPIRES,
    COMMON_VALUES,
    EMPTY_BODY_CHECKSUMS,
    SDK_QUERY_PARAMETERS,
    X_ID_OPERATIONS,
)

__all__ = ["query_candidates"]

_AUTH = frozenset(
    {*SIGV4_PARAMETERS, "X-Amz-Security-Token", "AWSAccessKeyId", "Signature", "Expires"}
)
_SIGNATURES = ("X-Amz-Signature", "Signature")
_DATES = frozenset({"X-Amz-Date", "X-Amz-Credential", "X-Amz-Algorithm", "X-Amz-SignedHeaders"})


def _removed(given: SearchInput) -> Iterator[Candidate]:
    query = given.request.query
    for i, (name, value) in enumerate(query):
        if name in _SIGNATURES:
            continue
        yield Candidate(
            "query-tampered",
            name,
            f"query parameter {name}={value} was not signed: it was added after signing",
            replace(given.request, query=query[:i] + query[i + 1 :]),
        )
    extra = [p for p in query if p[0] not in _AUTH]
    if len(extra) > 1:
        names = ", ".join(n for n, _ in extra)
        yield Candidate(
            "query-tampered",
            names,
            f"the query parameters {names} were all added after signing",
            replace(given.request, query=tuple(p for p in query if p[0] in _AUTH)),
        )


def _restored(given: SearchInput) -> Iterator[Candidate]:
    present = {n for n, _ in given.request.query}
    for group in SDK_QUERY_PARAMETERS:
        if any(name in present for name, _ in group):
            continue
        shown = "&".join(f"{n}={v}" for n, v in group)
        yield Candidate(
            "query-tampered",
            group[0][0],
            f"the URL was signed with {shown}, which the SDK adds, and it was removed from "
            "the URL after signing",
            replace(given.request, query=given.request.query + group),
        )


def _numbers(value: str) -> list[str]:
    if not value.isdigit() or len(value) > 9:
        return []
    number = int(value)
    near = [number + d for d in (-1, 1, -2, 2, -3, 3)]
    return [str(n) for n in dict.fromkeys([*range(1, 65), *near]) if n >= 0 and n != number]


def _expiries(name: str, value: str) -> list[str]:
    if name == "X-Amz-Expires":
        return [str(s) for s in COMMON_EXPIRES if str(s) != value]
    if name == "Expires" and value.isdigit():  # SigV2: an epoch second, edited by a common expiry
        found = [int(value) + sign * s for s in COMMON_EXPIRES for sign in (-1, 1)]
        return [str(n) for n in found if n > 0]
    return []


def _edited_values(given: SearchInput, name: str, value: str) -> list[str]:
    if name in ("X-Amz-Expires", "Expires"):
        return _expiries(name, value)
    lower = name.lower()
    found = [given.request.header(name) or ""]
    found += [EMPTY_BODY_CHECKSUMS.get(lower, ""), *COMMON_VALUES.get(lower, ())]
    if lower == "x-id":
        found += X_ID_OPERATIONS
    found += _numbers(value)
    return [v for v in dict.fromkeys(found) if v and v != value]


def _edited(given: SearchInput) -> Iterator[Candidate]:
    query = given.request.query
    for i, (name, value) in enumerate(query):
        if name in _SIGNATURES or name in _DATES or name == "X-Amz-Security-Token":
            continue
        for signed in _edited_values(given, name, value):
            text = f"the URL was signed with {name}={signed} and edited to say {name}={value} after signing"
            if name in ("X-Amz-Expires", "Expires"):
                text += " (an expiry cannot be extended without signing again)"
            yield Candidate(
                "query-tampered",
                name,
                text,
                replace(given.request, query=(*query[:i], (name, signed), *query[i + 1 :])),
            )


def query_candidates(given: SearchInput) -> Iterator[Candidate]:
    """Parameters removed (added after signing), restored (stripped after signing), edited."""
    yield from _removed(given)
    yield from _restored(given)
    yield from _edited(given)
