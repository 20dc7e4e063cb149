"""Path candidates: canonical URIs the signer may have written for the path S3 received.

S3 decodes the path once (a raw ``+`` as a space, see :mod:`..received`) and encodes each byte
once with ``%20`` for a space and ``%2B`` for a plus. A signer or a client that does
otherwise breaks the signature: a literal ``+`` sent raw (S3 reads a space), a space sent as
``%2B``, a key encoded before signing (``%2520``) or decoded on the way, a path the signer
did not URI-encode at all or encoded with ``+`` for spaces or ``%2F`` for slashes, lower-case
hex, ``//`` collapsed, a trailing slash, the bucket named twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....errors import PresignedUrlError
from ....signing import sigv4
from ....signing.uri import percent_decode
from .base import Candidate, SearchInput

__all__ = ["path_candidates"]

_HEX = re.compile(r"%[0-9A-F]{2}")


def _decoded_again(path: str) -> str | None:
    try:
        return percent_decode(path) if "%" in path else None
    except PresignedUrlError:
        return None


def _variants(given: SearchInput) -> list[tuple[str, str]]:
    """``(canonical URI, how the signer got it)`` pairs, most common first."""
    path, bucket = given.request.path, given.url.bucket or ""
    uri = sigv4.canonical_uri
    raw_plus = "+" in given.raw_path
    out: list[tuple[str, str]] = []
    if " " in path:
        how = "the key has '+', sent unencoded"
        if raw_plus:
            how += ": S3 reads a raw '+' in the path as a space, so a '+' must travel as %2B"
        out.append((uri(path.replace(" ", "+")), how))
    if "+" in path:
        how = "with spaces where the server read '+'"
        how += (
            ": it read the URL's raw '+' literally (Amazon S3 reads a raw '+' as a space; some "
            "S3-compatible servers do not), so send spaces as %20"
            if raw_plus
            else " (a space sent as %2B)"
        )
        out.append((uri(path.replace("+", " ")), how))
    out.append(
        (
            uri(sigv4.uri_encode(path, encode_slash=False)),
            "encoded before signing (the key was already percent-encoded), then decoded on the way",
        )
    )
    again = _decoded_again(path)
    if again is not None:
        out.append((uri(again), "decoded once more: the request encoded the path twice"))
    out.append((path, "not URI-encoded by the signer"))
    out.append(
        (given.raw_path, "exactly as the URL writes it, without S3's decoding and re-encoding")
    )
    if " " in path:
        out.append(
            (uri(path).replace("%20", "+"), "with '+' for spaces (form encoding) by the signer")
        )
    out.append(
        ("/" + sigv4.uri_encode(path[1:]), "with '/' inside the key encoded as %2F by the signer")
    )
    out.append((_HEX.sub(lambda m: m.group().lower(), uri(path)), "with lower-case hex escapes"))
    if "//" in path:
        out.append((uri(re.sub("/{2,}", "/", path)), "with '//' collapsed to '/'"))
    out.append(
        (
            uri(path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"),
            "with the trailing '/' toggled",
        )
    )
    if bucket and given.url.addressing == "virtual":
        prefix = f"/{bucket}"
        if path.startswith(prefix + "/"):
            out.append(
                (
                    uri(path[len(prefix) :]),
                    f"without the bucket name {bucket}, which the request repeats in the path",
                )
            )
        else:
            out.append((uri(prefix + path), f"with the bucket name {bucket} in the path"))
    return out


def path_candidates(given: SearchInput) -> Iterator[Candidate]:
    """The request with the path signed another way (the canonical URI line replaced)."""
    path = given.request.path
    seen = {sigv4.canonical_uri(path)}
    for signed, how in _variants(given):
        if signed in seen or not signed.startswith("/"):
            continue
        seen.add(signed)
        yield Candidate(
            "path-mismatch",
            "path",
            f"the URL was signed for the path {signed!r} ({how}) but S3 read the path as {path!r}",
            given.request,
            uri=signed,
        )
