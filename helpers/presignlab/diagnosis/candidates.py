"""The single changes tried by the signature search, most common causes first.

Each :class:`Candidate` is a request (and region) the signer may have signed instead of the
one S3 received, with the finding code it would prove: the signer's method; each signed
header absent, at the value sent or at a common value (:data:`COMMON_VALUES`); each query
parameter removed; an edited expiry put back at a common value (:data:`COMMON_EXPIRES`); the
path with ``+``/space swapped, encoded once more or decoded once more; the host with or
without a port, path-style versus virtual-hosted; every commercial AWS region
(:data:`AWS_REGIONS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import sigv4
from ..errors import PresignedUrlError
from ..presigned_url import PresignedUrl
from ..query_auth import SentRequest
from ..query_string import percent_decode

__all__ = ["AWS_REGIONS", "COMMON_EXPIRES", "COMMON_VALUES", "METHODS", "Candidate", "candidates"]

#: Commercial AWS regions (partition ``aws``), as botocore 1.44 lists them for S3.
AWS_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
)
METHODS = ("PUT", "GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH")
#: Expiries (seconds) signers commonly choose; tried when X-Amz-Expires (or Expires) was edited.
COMMON_EXPIRES = (60, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400, 604800)
#: Values clients commonly send (or SDKs commonly sign) for a header, tried as the signed value.
COMMON_VALUES: dict[str, tuple[str, ...]] = {
    "content-type": (
        "application/octet-stream",
        "binary/octet-stream",
        "text/plain",
        "image/jpeg",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain;charset=UTF-8",
        "image/png",
        "application/json",
        "application/pdf",
    ),
    "x-amz-acl": (
        "private",
        "public-read",
        "public-read-write",
        "authenticated-read",
        "bucket-owner-read",
        "bucket-owner-full-control",
    ),
    "x-amz-server-side-encryption": ("AES256", "aws:kms", "aws:kms:dsse"),
    "if-none-match": ("*",),
    "content-encoding": ("gzip", "identity", "br"),
    "content-disposition": ("attachment", "inline"),
    "x-amz-storage-class": ("STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"),
    "x-amz-checksum-crc32": ("AAAAAA==",),
    "x-amz-sdk-checksum-algorithm": ("CRC32", "CRC32C", "SHA256"),
}


@dataclass(frozen=True)
class Candidate:
    """A single change: ``request`` (and ``region``) is what the signer may have signed."""

    code: str
    subject: str
    description: str
    request: SentRequest
    region: str | None = None


def _with_header(request: SentRequest, name: str, value: str | None) -> SentRequest:
    kept = tuple((n, v) for n, v in request.headers if n.lower() != name)
    return replace(request, headers=kept if value is None else kept + ((name, value),))


def _header_candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    if url.version == "sigv2":
        names = ["content-type", "content-md5"] + sorted(
            {n.lower() for n, _ in request.headers if n.lower().startswith("x-amz-")}
        )
    else:
        names = [h for h in url.signed_headers if h != "host"]
    hoisted = {n.lower(): v for n, v in request.query}
    for name in names:
        sent = request.header(name)
        if sent is None and url.version == "sigv4":
            sent = hoisted.get(name)
        code = "signed-header-missing" if not sent else "signed-header-value-mismatch"
        values = [
            "",
            hoisted.get(name, ""),
            url.required_headers.get(name) or "",
            *COMMON_VALUES.get(name, ()),
        ]
        for value in dict.fromkeys(values):
            if value.strip() == (sent or "").strip():
                continue
            shown = f"{name}: {value}" if value else f"no {name}"
            unsigned = url.version == "sigv2" and not value and name.startswith("x-amz-")
            yield Candidate(
                "unsigned-amz-header" if unsigned else code,
                name,
                f"the URL was signed with {shown} "
                "but the request sends " + (f"{name}: {sent}" if sent else f"no {name}"),
                _with_header(request, name, value or None),
            )


def _path_candidates(request: SentRequest) -> Iterator[Candidate]:
    path = request.path
    options = [
        (path.replace("+", " "), "with spaces where the request has '+'"),
        (path.replace(" ", "+"), "with '+' where the request has spaces"),
        (
            sigv4.uri_encode(path, encode_slash=False),
            "encoded once more (the key was encoded before signing)",
        ),
    ]
    try:
        options.append(
            (percent_decode(path), "decoded once more (the request encoded the path twice)")
        )
    except PresignedUrlError:
        pass
    for other, how in options:
        if other != path:
            yield Candidate(
                "path-mismatch",
                "path",
                f"the URL was signed for path {other!r} ({how}) but S3 received {path!r}",
                replace(request, path=other),
            )


def _host_candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    host = request.host
    name, _, port = host.rpartition(":")
    hosts = [name] if port.isdigit() and name else [f"{host}:443", f"{host}:80"]
    if url.host != host:
        hosts.insert(0, url.host)
    for other in hosts:
        yield Candidate(
            "host-mismatch",
            "host",
            f"the URL was signed for host {other} but S3 received host {host}",
            replace(request, host=other),
        )
    bucket = url.bucket or ""
    if bucket and url.addressing == "virtual" and host.startswith(bucket + "."):
        other, path = host[len(bucket) + 1 :], f"/{bucket}{request.path}"
        yield Candidate(
            "host-mismatch",
            "host",
            f"the URL was signed path-style ({other}{path}) but sent virtual-hosted ({host})",
            replace(request, host=other, path=path),
        )
    elif (
        bucket
        and url.addressing == "path"
        and ".amazonaws.com" in host
        and request.path.startswith(f"/{bucket}")
    ):
        other, path = f"{bucket}.{host}", request.path[len(bucket) + 1 :] or "/"
        yield Candidate(
            "host-mismatch",
            "host",
            f"the URL was signed virtual-hosted ({other}) but sent path-style ({host})",
            replace(request, host=other, path=path),
        )


def _query_candidates(request: SentRequest) -> Iterator[Candidate]:
    for i, (name, value) in enumerate(request.query):
        if name in ("X-Amz-Signature", "Signature"):
            continue
        rest = request.query[:i] + request.query[i + 1 :]
        yield Candidate(
            "query-tampered",
            name,
            f"query parameter {name}={value} was not signed: it was added after signing",
            replace(request, query=rest),
        )
    for i, (name, value) in enumerate(request.query):
        if name not in ("X-Amz-Expires", "Expires"):
            continue
        for signed in _expiry_values(name, value):
            query = (*request.query[:i], (name, signed), *request.query[i + 1 :])
            yield Candidate(
                "query-tampered",
                name,
                f"the URL was signed with {name}={signed} and edited to say {name}={value} "
                "after signing (an expiry cannot be extended without signing again)",
                replace(request, query=query),
            )


def _expiry_values(name: str, value: str) -> Iterator[str]:
    """Expiries signers commonly use, as the value of ``X-Amz-Expires`` or SigV2 ``Expires``."""
    if name == "X-Amz-Expires":
        yield from (str(s) for s in COMMON_EXPIRES if str(s) != value)
    elif value.isdigit():  # SigV2 Expires is an epoch second: try the edit by a common expiry
        for seconds in COMMON_EXPIRES:
            for signed in (int(value) - seconds, int(value) + seconds):
                if signed > 0:
                    yield str(signed)


def candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    """Every single change tried, most common causes first."""
    for method in METHODS:
        if method != request.method:
            yield Candidate(
                "method-mismatch",
                method,
                f"the URL was signed for {method} but the request is a {request.method}",
                replace(request, method=method),
            )
    yield from _header_candidates(url, request)
    yield from _query_candidates(request)
    yield from _path_candidates(request)
    yield from _host_candidates(url, request)
    if url.version == "sigv4" and url.region:
        for region in AWS_REGIONS:
            if region == url.region:
                continue
            yield Candidate(
                "region-mismatch",
                region,
                f"the URL was signed for region {region} and its "
                f"X-Amz-Credential was then edited to say {url.region}",
                _credential_region(request, url.region, region),
                region,
            )
            yield Candidate(
                "region-mismatch",
                region,
                f"the signing key and scope were derived for region "
                f"{region} but X-Amz-Credential says {url.region}",
                request,
                region,
            )


def _credential_region(request: SentRequest, old: str, new: str) -> SentRequest:
    query = tuple(
        (n, v.replace(f"/{old}/", f"/{new}/", 1) if n == "X-Amz-Credential" else v)
        for n, v in request.query
    )
    return replace(request, query=query)
