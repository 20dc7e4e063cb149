"""Method and header candidates: what the signer may have signed for the method and headers.

A signed header's value is not in the URL, so the search tries the values a signer plausibly
used: none, the value sent, the value of a query parameter of the same name, the value the
description declared (a Content-Length against the body's real size), the sent value without
its parameters or in lower case, the type the key's extension implies, an SDK's empty-body
checksum, and common values (:data:`~.values.COMMON_VALUES`).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from dataclasses import replace

from .base import Candidate, SearchInput, with_header
from .values import COMMON_VALUES, EMPTY_BODY_CHECKSUMS, METHODS

__all__ = ["header_candidates", "header_values", "method_candidates", "method_pair_candidates"]


def _derived(name: str, sent: str) -> list[str]:
    if not sent:
        return []
    found = [sent.lower(), sent.split(";")[0].strip()]
    if name == "content-type":
        base = sent.split(";")[0].strip()
        found += [f"{base};charset=UTF-8", f"{base}; charset=utf-8", f"{base}; charset=UTF-8"]
    return found


def _guessed(given: SearchInput, name: str) -> list[str]:
    if name == "content-type" and given.url.key:
        kind = mimetypes.guess_type(given.url.key, strict=False)[0]
        return [kind] if kind else []
    if name in EMPTY_BODY_CHECKSUMS:
        return [EMPTY_BODY_CHECKSUMS[name]]
    return []


def sent_value(given: SearchInput, name: str) -> str | None:
    """The value S3 sees for signed header ``name``: the header, else a query parameter of that name."""
    value = given.request.header(name)
    if value is None and given.url.version == "sigv4":
        value = next((v for n, v in given.request.query if n.lower() == name), None)
    return value


def header_values(given: SearchInput, name: str) -> list[str]:
    """The values tried as the signed value of ``name`` (``""`` means absent), without the one sent."""
    sent = sent_value(given, name) or ""
    hoisted = next((v for n, v in given.request.query if n.lower() == name), "")
    values = [
        "",
        hoisted,
        given.url.required_headers.get(name) or "",
        given.declared.get(name, ""),
        *_derived(name, sent),
        *_guessed(given, name),
        *COMMON_VALUES.get(name, ()),
    ]
    return [v for v in dict.fromkeys(values) if v.strip() != sent.strip()]


def _signed_names(given: SearchInput) -> list[str]:
    if given.url.version == "sigv2":
        amz = {n.lower() for n, _ in given.request.headers if n.lower().startswith("x-amz-")}
        return ["content-type", "content-md5", *sorted(amz)]
    return [h for h in given.url.signed_headers if h != "host"]


def _shown(name: str, value: str | None) -> str:
    return f"{name}: {value}" if value else f"no {name}"


def header_candidates(given: SearchInput) -> Iterator[Candidate]:
    """Each signed header at each value tried, one header at a time."""
    url, request = given.url, given.request
    for name in _signed_names(given):
        sent = sent_value(given, name)
        code = "signed-header-missing" if not sent else "signed-header-value-mismatch"
        hoisted = next((v for n, v in request.query if n.lower() == name), None)
        for value in header_values(given, name):
            if url.version == "sigv2" and not value and name.startswith("x-amz-"):
                kind, text = "unsigned-amz-header", f"the URL was signed without {name}"
            elif url.version == "sigv2" and hoisted is not None and hoisted == sent and value:
                kind = "query-tampered"
                text = (
                    f"the URL's {name}={hoisted} was edited after signing: it was signed with "
                    f"{name}: {value}, and the request sends the edited value"
                )
            else:
                kind, text = code, f"the URL was signed with {_shown(name, value)}"
            if kind != "query-tampered":
                text += f" but the request sends {_shown(name, sent)}"
            yield Candidate(kind, name, text, with_header(request, name, value or None))


def method_candidates(given: SearchInput) -> Iterator[Candidate]:
    """Every other method, with the headers unchanged."""
    request = given.request
    for method in METHODS:
        if method != request.method:
            yield Candidate(
                "method-mismatch",
                method,
                f"the URL was signed for {method} but the request is a {request.method}",
                replace(request, method=method),
            )


def method_pair_candidates(given: SearchInput) -> Iterator[Candidate]:
    """Another method plus a signed header the request does not send (a GET sends no Content-Type)."""
    request = given.request
    missing = [n for n in _signed_names(given) if not sent_value(given, n)]
    for method in METHODS:
        if method == request.method:
            continue
        for name in missing:
            for value in header_values(given, name):
                if not value:
                    continue
                yield Candidate(
                    "method-mismatch",
                    method,
                    f"the URL was signed for {method} with {name}: {value}, but the request "
                    f"is a {request.method} without {name} (a {request.method} does not send it)",
                    with_header(replace(request, method=method), name, value),
                )
