"""Host candidates: the endpoints a URL for this bucket may have been signed for.

The URL's own host (when a ``Host`` header or a proxy changed it), the host with a port added
or dropped, ``localhost`` for ``127.0.0.1`` and back, and on AWS every form of the bucket's
endpoint (Amazon S3 User Guide, "Virtual hosting of buckets" and "Dual-stack endpoints"):
global ``BUCKET.s3.amazonaws.com``, regional ``BUCKET.s3.REGION.amazonaws.com``, legacy
``BUCKET.s3-REGION.amazonaws.com``, dual-stack, and the path-style form of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ....signing.presigned_url import _locate
from ....signing.sent_request import SentRequest
from .base import Candidate, SearchInput

__all__ = ["aws_forms", "host_candidates", "regional_forms"]


def _key_path(given: SearchInput) -> str:
    """The request's path without the bucket (the key part), for re-addressing."""
    path, bucket = given.request.path, given.url.bucket or ""
    virtual = given.request.host.lower().startswith(bucket + ".")
    if bucket and not virtual and (path == f"/{bucket}" or path.startswith(f"/{bucket}/")):
        return path[len(bucket) + 1 :] or "/"
    return path


def regional_forms(bucket: str, region: str) -> list[tuple[str, bool]]:
    """``(endpoint host, virtual-hosted?)`` for the regional endpoints of ``region``."""
    return [
        (f"{bucket}.s3.{region}.amazonaws.com", True),
        (f"s3.{region}.amazonaws.com", False),
        (f"{bucket}.s3-{region}.amazonaws.com", True),
        (f"s3-{region}.amazonaws.com", False),
        (f"{bucket}.s3.dualstack.{region}.amazonaws.com", True),
        (f"s3.dualstack.{region}.amazonaws.com", False),
    ]


def aws_forms(bucket: str, regions: list[str]) -> list[tuple[str, bool]]:
    """The global forms, then the regional forms of each region."""
    forms = [(f"{bucket}.s3.amazonaws.com", True), ("s3.amazonaws.com", False)]
    for region in regions:
        forms += regional_forms(bucket, region)
    return forms


def addressed(given: SearchInput, host: str, virtual: bool) -> SentRequest:
    """The request sent to ``host``, with the bucket in the path unless ``virtual``."""
    key_path = _key_path(given)
    bucket = given.url.bucket or ""
    path = key_path if virtual else f"/{bucket}{key_path}"
    return replace(given.request, host=host, path=path)


def _plain(given: SearchInput) -> Iterator[tuple[str, str]]:
    host, url = given.request.host, given.url
    if url.host != host:
        yield url.host, "the URL's own host"
    name, _, port = host.rpartition(":")
    if port.isdigit() and name:
        yield name, "without the port"
    else:
        yield f"{host}:443", "with port 443"
        yield f"{host}:80", "with port 80"
    for a, b in (("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")):
        if host.startswith(a):
            yield b + host[len(a) :], f"{b} instead of {a}"


def host_candidates(given: SearchInput) -> Iterator[Candidate]:
    """The request sent to each other host the URL may have been signed for."""
    host = given.request.host
    seen = {(host, given.request.path)}
    for other, how in _plain(given):
        if (other, given.request.path) not in seen:
            seen.add((other, given.request.path))
            yield Candidate(
                "host-mismatch",
                "host",
                f"the URL was signed for host {other} ({how}) but S3 received host {host}",
                replace(given.request, host=other),
            )
    bucket, url = given.url.bucket, given.url
    hostname = host.split(":")[0].lower()
    if not bucket or not (
        hostname.endswith(".amazonaws.com") or url.hostname.endswith(".amazonaws.com")
    ):
        yield from _custom_endpoint(given, seen)
        return
    regions = [
        r
        for r in dict.fromkeys([url.region or "", _locate(hostname, given.request.path)[3] or ""])
        if r
    ]
    for form, virtual in aws_forms(bucket, regions):
        request = addressed(given, form, virtual)
        if (request.host, request.path) in seen:
            continue
        seen.add((request.host, request.path))
        style = "virtual-hosted" if virtual else "path-style"
        yield Candidate(
            "host-mismatch",
            "host",
            f"the URL was signed for {form} ({style}) but S3 received host {host} "
            f"with path {given.request.path!r}",
            request,
        )


def _custom_endpoint(given: SearchInput, seen: set[tuple[str, str]]) -> Iterator[Candidate]:
    """Path-style versus virtual-hosted on a non-AWS endpoint (MinIO, a local emulator)."""
    bucket, host = given.url.bucket or "", given.request.host
    if not bucket:
        return
    if host.startswith(bucket + "."):
        request = replace(
            given.request, host=host[len(bucket) + 1 :], path=f"/{bucket}{given.request.path}"
        )
        how = "path-style, with the bucket in the path"
    elif given.request.path.startswith(f"/{bucket}"):
        request = replace(
            given.request,
            host=f"{bucket}.{host}",
            path=given.request.path[len(bucket) + 1 :] or "/",
        )
        how = "virtual-hosted, with the bucket in the host"
    else:
        return
    if (request.host, request.path) not in seen:
        yield Candidate(
            "host-mismatch",
            "host",
            f"the URL was signed {how} ({request.host}{request.path}) but sent to {host}{given.request.path}",
            request,
        )
