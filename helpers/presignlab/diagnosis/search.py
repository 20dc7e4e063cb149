"""Find the single change that reproduces a presigned URL's signature.

When the signature recomputed for the request S3 received differs from the one in the URL,
the signer signed something else. :func:`search` tries a bounded set of single changes to the
request (the signer's method; each signed header absent, at the value sent or at a common
value; the path with ``+``/space swapped, encoded once more or decoded once more; the host
with or without a port, path-style versus virtual-hosted; each query parameter removed; every
commercial AWS region) and returns the first one whose signature equals the URL's: that
candidate is what was signed.

The signing key is derived once (:class:`Signer`); each candidate then costs one canonical
request, one SHA-256 and one HMAC. Region candidates derive their own key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import sigv2, sigv4
from ..errors import PresignedUrlError
from ..presigned_url import PresignedUrl
from ..query_auth import SentRequest, sigv2_string_to_sign, sigv4_canonical_request, sigv4_string_to_sign
from ..query_string import percent_decode

__all__ = ["AWS_REGIONS", "COMMON_VALUES", "METHODS", "Candidate", "Signed", "Signer", "candidates", "search", "sigv2_resource"]

#: Commercial AWS regions (partition ``aws``), as botocore 1.44 lists them for S3.
AWS_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
    "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
)
METHODS = ("PUT", "GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH")
#: Values clients commonly send (or SDKs commonly sign) for a header, tried as the signed value.
COMMON_VALUES: dict[str, tuple[str, ...]] = {
    "content-type": (
        "application/octet-stream", "binary/octet-stream", "text/plain", "image/jpeg",
        "multipart/form-data", "application/x-www-form-urlencoded", "text/plain;charset=UTF-8",
        "image/png", "application/json", "application/pdf",
    ),
    "x-amz-acl": (
        "private", "public-read", "public-read-write", "authenticated-read",
        "bucket-owner-read", "bucket-owner-full-control",
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


@dataclass(frozen=True)
class Signed:
    """The text signed for a request and the resulting signature."""

    canonical_request: str | None  # None for SigV2
    string_to_sign: str
    signature: str


def sigv2_resource(url: PresignedUrl, request: SentRequest) -> str:
    """SigV2 ``/bucket/key``: a virtual-hosted request puts the bucket back in front of the path."""
    if url.addressing == "virtual" and url.bucket and request.host.lower().startswith(url.bucket + "."):
        return f"/{url.bucket}{request.path}"
    return request.path


class Signer:
    """Signs requests for one presigned URL with one secret; the signing key is derived once."""

    def __init__(self, url: PresignedUrl, secret_key: str) -> None:
        self.url = url
        self._secret = secret_key
        self.version = url.version
        self.region = url.region or "us-east-1"
        self.service = url.service or "s3"
        self._date = url.amz_date or ""
        self._keys = {self.region: sigv4.signing_key(secret_key, self._date, self.region, self.service)}
        self._expires = url.param("Expires") or ""

    def stripped(self) -> Signer | None:
        """A signer for the same URL with the secret's surrounding white space removed, if it has any."""
        return Signer(self.url, self._secret.strip()) if self._secret != self._secret.strip() else None

    def sign(self, request: SentRequest, region: str | None = None) -> Signed:
        """Canonical request, string to sign and signature for ``request`` (and ``region``)."""
        if self.version == "sigv2":
            to_sign = sigv2_string_to_sign(request, sigv2_resource(self.url, request), self._expires)
            return Signed(None, to_sign, sigv2.signature_v2(self._secret, to_sign))
        region = region or self.region
        key = self._keys.get(region)
        if key is None:
            key = self._keys[region] = sigv4.signing_key(self._secret, self._date, region, self.service)
        canonical = sigv4_canonical_request(request, self.url.signed_headers)
        to_sign = sigv4_string_to_sign(canonical, self._date, region, self.service)
        return Signed(canonical, to_sign, sigv4.signature(key, to_sign))

    def matches(self, signed: Signed) -> bool:
        """True when ``signed`` reproduces the URL's signature (constant-time comparison)."""
        provided = (self.url.signature or "").replace(" ", "+")
        return hmac.compare_digest(signed.signature.encode(), provided.encode())


def _with_header(request: SentRequest, name: str, value: str | None) -> SentRequest:
    kept = tuple((n, v) for n, v in request.headers if n.lower() != name)
    return replace(request, headers=kept if value is None else kept + ((name, value),))


def _header_candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    if url.version == "sigv2":
        names = ["content-type", "content-md5"] + sorted({n.lower() for n, _ in request.headers if n.lower().startswith("x-amz-")})
    else:
        names = [h for h in url.signed_headers if h != "host"]
    hoisted = {n.lower(): v for n, v in request.query}
    for name in names:
        sent = request.header(name)
        if sent is None and url.version == "sigv4":
            sent = hoisted.get(name)
        code = "signed-header-missing" if not sent else "signed-header-value-mismatch"
        values = ["", hoisted.get(name, ""), url.required_headers.get(name) or "", *COMMON_VALUES.get(name, ())]
        for value in dict.fromkeys(values):
            if value.strip() == (sent or "").strip():
                continue
            shown = f"{name}: {value}" if value else f"no {name}"
            unsigned = url.version == "sigv2" and not value and name.startswith("x-amz-")
            yield Candidate("unsigned-amz-header" if unsigned else code, name, f"the URL was signed with {shown} "
                            "but the request sends " + (f"{name}: {sent}" if sent else f"no {name}"),
                            _with_header(request, name, value or None))


def _path_candidates(request: SentRequest) -> Iterator[Candidate]:
    path = request.path
    options = [(path.replace("+", " "), "with spaces where the request has '+'"),
               (path.replace(" ", "+"), "with '+' where the request has spaces"),
               (sigv4.uri_encode(path, encode_slash=False), "encoded once more (the key was encoded before signing)")]
    try:
        options.append((percent_decode(path), "decoded once more (the request encoded the path twice)"))
    except PresignedUrlError:
        pass
    for other, how in options:
        if other != path:
            yield Candidate("path-mismatch", "path", f"the URL was signed for path {other!r} ({how}) but S3 received {path!r}",
                            replace(request, path=other))


def _host_candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    host = request.host
    name, _, port = host.rpartition(":")
    hosts = [name] if port.isdigit() and name else [f"{host}:443", f"{host}:80"]
    if url.host != host:
        hosts.insert(0, url.host)
    for other in hosts:
        yield Candidate("host-mismatch", "host", f"the URL was signed for host {other} but S3 received host {host}",
                        replace(request, host=other))
    bucket = url.bucket or ""
    if bucket and url.addressing == "virtual" and host.startswith(bucket + "."):
        other, path = host[len(bucket) + 1:], f"/{bucket}{request.path}"
        yield Candidate("host-mismatch", "host", f"the URL was signed path-style ({other}{path}) but sent virtual-hosted ({host})",
                        replace(request, host=other, path=path))
    elif bucket and url.addressing == "path" and ".amazonaws.com" in host and request.path.startswith(f"/{bucket}"):
        other, path = f"{bucket}.{host}", request.path[len(bucket) + 1:] or "/"
        yield Candidate("host-mismatch", "host", f"the URL was signed virtual-hosted ({other}) but sent path-style ({host})",
                        replace(request, host=other, path=path))


def _query_candidates(request: SentRequest) -> Iterator[Candidate]:
    for i, (name, value) in enumerate(request.query):
        if name in ("X-Amz-Signature", "Signature"):
            continue
        rest = request.query[:i] + request.query[i + 1:]
        yield Candidate("query-tampered", name, f"query parameter {name}={value} was not signed: it was added after signing",
                        replace(request, query=rest))


def candidates(url: PresignedUrl, request: SentRequest) -> Iterator[Candidate]:
    """Every single change tried, most common causes first."""
    for method in METHODS:
        if method != request.method:
            yield Candidate("method-mismatch", method, f"the URL was signed for {method} but the request is a {request.method}",
                            replace(request, method=method))
    yield from _header_candidates(url, request)
    yield from _query_candidates(request)
    yield from _path_candidates(request)
    yield from _host_candidates(url, request)
    if url.version == "sigv4" and url.region:
        for region in AWS_REGIONS:
            if region == url.region:
                continue
            yield Candidate("region-mismatch", region, f"the URL was signed for region {region} and its "
                            f"X-Amz-Credential was then edited to say {url.region}",
                            _credential_region(request, url.region, region), region)
            yield Candidate("region-mismatch", region, f"the signing key and scope were derived for region "
                            f"{region} but X-Amz-Credential says {url.region}", request, region)


def _credential_region(request: SentRequest, old: str, new: str) -> SentRequest:
    query = tuple((n, v.replace(f"/{old}/", f"/{new}/", 1) if n == "X-Amz-Credential" else v) for n, v in request.query)
    return replace(request, query=query)


def search(signer: Signer, request: SentRequest) -> tuple[Candidate, Signed] | None:
    """The first candidate whose signature equals the URL's, with what it signed; or None."""
    for candidate in candidates(signer.url, request):
        signed = signer.sign(candidate.request, candidate.region)
        if signer.matches(signed):
            return candidate, signed
    return None
