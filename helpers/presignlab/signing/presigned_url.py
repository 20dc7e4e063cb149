"""Read a presigned S3 URL (SigV4 or SigV2) into a typed :class:`PresignedUrl`.

:func:`parse_presigned_url` accepts path-style and virtual-hosted URLs, on AWS or on any
custom endpoint with a port. It raises :class:`~presignlab.errors.PresignedUrlError` only for
text that cannot be read as a presigned URL at all (not a URL, control characters, broken
percent-encoding, a truncated signature, no authentication parameters). Anything that is
readable but wrong (a missing ``X-Amz-*`` parameter, a malformed credential, a bad date) is
kept as a :class:`UrlDefect` in ``PresignedUrl.defects`` so that a diagnosis can explain it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import SplitResult, urlsplit

from ..errors import PresignedUrlError
from .sent_request import host_header
from .uri import parse_query, percent_decode

__all__ = [
    "SIGV4_PARAMETERS",
    "PresignedUrl",
    "UrlDefect",
    "parse_amz_date",
    "parse_presigned_url",
]

#: The six query parameters every SigV4 presigned URL must carry, in AWS's wording order.
SIGV4_PARAMETERS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)
_SIGV2_PARAMETERS = ("AWSAccessKeyId", "Expires", "Signature")
_AMZ_DATE = re.compile(r"^\d{8}T\d{6}Z$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
MAX_URL_LENGTH = 64 * 1024


@dataclass(frozen=True)
class UrlDefect:
    """Something readable but wrong in a presigned URL. ``code`` is a diagnosis finding code."""

    code: str
    parameter: str
    message: str


@dataclass(frozen=True)
class PresignedUrl:
    """The anatomy of a presigned URL. Dates are timezone-aware UTC datetimes."""

    url: str
    version: str  # "sigv4" or "sigv2"
    scheme: str
    host: str  # the Host header the URL implies: hostname plus any non-default port
    hostname: str
    port: int | None
    addressing: str  # "path" or "virtual"
    bucket: str | None
    key: str
    path: str  # decoded path, as S3 canonicalises it
    query: tuple[tuple[str, str], ...]  # decoded (name, value) pairs in URL order
    access_key_id: str | None = None
    region: str | None = None
    service: str | None = None
    algorithm: str | None = None
    credential_date: str | None = None
    amz_date: str | None = None
    signed_at: datetime | None = None
    expires_in: int | None = None
    expires_at: datetime | None = None
    signed_headers: tuple[str, ...] = ()
    session_token_present: bool = False
    signature: str | None = None
    required_headers: dict[str, str | None] = field(default_factory=dict)
    defects: tuple[UrlDefect, ...] = ()

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (exact case), or None."""
        return next((v for n, v in self.query if n == name), None)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (dates as ISO 8601 with ``Z``); never includes the token's value."""

        def iso(value: datetime | None) -> str | None:
            return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None

        return {
            "version": self.version,
            "scheme": self.scheme,
            "host": self.host,
            "addressing": self.addressing,
            "bucket": self.bucket,
            "key": self.key,
            "access_key_id": self.access_key_id,
            "region": self.region,
            "service": self.service,
            "algorithm": self.algorithm,
            "amz_date": self.amz_date,
            "signed_at": iso(self.signed_at),
            "expires_in": self.expires_in,
            "expires_at": iso(self.expires_at),
            "signed_headers": list(self.signed_headers),
            "session_token_present": self.session_token_present,
            "signature": self.signature,
            "required_headers": dict(self.required_headers),
            "defects": [d.__dict__ for d in self.defects],
        }


def parse_amz_date(value: str) -> datetime | None:
    """``YYYYMMDDTHHMMSSZ`` as an aware UTC datetime, or None when it is not in that form."""
    if not _AMZ_DATE.match(value or ""):
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_presigned_url(url: str) -> PresignedUrl:
    """Parse a SigV4 or SigV2 presigned URL. See the module docstring for what raises."""
    parts = _split(url)
    query = parse_query(parts.query)
    names = {n for n, _ in query}
    hostname = (parts.hostname or "").lower()
    port = _port(parts)
    host = host_header(url.strip())
    path = percent_decode(parts.path or "/", what="the path")
    bucket, key, addressing, host_region = _locate(hostname, path)
    common = {
        "url": url,
        "scheme": parts.scheme,
        "host": host,
        "hostname": hostname,
        "port": port,
        "addressing": addressing,
        "bucket": bucket,
        "key": key,
        "path": path,
        "query": tuple(query),
    }
    if names & set(SIGV4_PARAMETERS):
        return _sigv4(common, query, names)
    if names & set(_SIGV2_PARAMETERS):
        return _sigv2(common, query, names, host_region)
    raise PresignedUrlError(
        "This URL has no authentication parameters: a SigV4 presigned URL carries X-Amz-Algorithm, "
        "X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature; a "
        "SigV2 one carries AWSAccessKeyId, Expires and Signature. Paste the whole URL the signer returned."
    )


def _split(url: object):  # type: ignore[no-untyped-def]
    if not isinstance(url, str):
        raise PresignedUrlError(f"A presigned URL must be text, not {type(url).__name__}.")
    if len(url) > MAX_URL_LENGTH:
        raise PresignedUrlError(
            f"This URL is {len(url)} characters long; presigned URLs are a few hundred to a few "
            f"thousand characters (at most {MAX_URL_LENGTH} accepted here)."
        )
    stripped = url.strip()
    bad = _CONTROL.search(stripped)
    if bad:
        raise PresignedUrlError(
            f"The URL contains a space or control character (code {ord(bad.group()):#04x}) at "
            f"position {bad.start()}; a presigned URL is one line of printable ASCII. Copy it again "
            "without line breaks, or percent-encode the character."
        )
    try:
        parts = urlsplit(stripped)
    except ValueError as exc:
        raise PresignedUrlError(f"This is not a URL that can be read: {exc}.") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PresignedUrlError(
            "This is not an http:// or https:// URL with a host; a presigned URL looks like "
            "https://BUCKET.s3.REGION.amazonaws.com/KEY?X-Amz-Algorithm=..."
        )
    if not parts.hostname:
        raise PresignedUrlError("The URL has no host name.")
    _port(parts)
    return parts


def _port(parts: SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError as exc:
        raise PresignedUrlError(f"The URL's port is not a number from 0 to 65535: {exc}.") from exc


_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn")
_REGION = re.compile(r"^[a-z]{2,4}(?:-[a-z]+)+-\d+$")
#: ``s3`` endpoint label variants that take the region from the next label (or have none).
_SCOPED = {"", "fips", "accesspoint", "accesspoint-fips", "website"}


def _aws_endpoint(hostname: str) -> tuple[bool, str | None, str | None]:
    """``(is an S3 object host on AWS, bucket or None, region or None)`` for ``hostname``.

    Knows the regional (``s3.REGION``), legacy (``s3-REGION``, ``s3-website-REGION``,
    ``s3-fips-REGION``), global (``s3``: no region; ``s3-external-1``: us-east-1), dual-stack,
    FIPS,
    Transfer Acceleration (no region), access point, website, PrivateLink (``vpce``) and
    China (``amazonaws.com.cn``) hosts, with or without a bucket in front.
    """
    suffix = next((x for x in _AWS_SUFFIXES if hostname.endswith(x)), None)
    if suffix is None:
        return False, None, None
    labels = hostname[: -len(suffix)].split(".")
    at = next(
        (
            i
            for i in range(len(labels) - 1, -1, -1)
            if labels[i] == "s3" or labels[i].startswith("s3-")
        ),
        None,
    )
    if at is None:
        return False, None, None
    left, right = labels[:at], labels[at + 1 :]
    if right[-1:] == ["vpce"]:
        right = right[:-1]
        left = left[:-1]  # the vpce-... endpoint id, not a bucket
    if right[:1] == ["dualstack"]:
        right = right[1:]
    if len(right) > 1 or (right and not _REGION.match(right[0])):
        return False, None, None
    rest = labels[at][3:]
    if rest in _SCOPED:
        # The global endpoint (s3.amazonaws.com) names no region: DNS takes BUCKET.s3.amazonaws.com
        # to the bucket's region, and boto3 presigns global URLs signed for any region.
        region = right[0] if right else None
    elif right:
        return False, None, None
    elif rest in ("external-1", "accelerate"):
        region = "us-east-1" if rest == "external-1" else None
    else:
        legacy = rest.removeprefix("website-").removeprefix("fips-")
        if not _REGION.match(legacy):
            return False, None, None
        region = legacy
    return True, ".".join(left) or None, region


def _locate(hostname: str, path: str) -> tuple[str | None, str, str, str | None]:
    """Bucket, key, addressing style and the region named by an AWS host (if any)."""
    aws, bucket, region = _aws_endpoint(hostname)
    if aws and bucket:
        return bucket, path[1:], "virtual", region
    segments = path[1:].split("/", 1)
    bucket = segments[0] or None
    key = segments[1] if len(segments) > 1 else ""
    return bucket, key, "path", region


def _missing_defect(missing: list[str], version: str) -> UrlDefect:
    message = (
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        if version == "sigv4"
        else "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
    )
    return UrlDefect(
        "missing-auth-parameter", ", ".join(missing), f"Missing {', '.join(missing)}. {message}"
    )


def _sigv4(common: dict, query: list[tuple[str, str]], names: set[str]) -> PresignedUrl:  # type: ignore[type-arg]
    values = dict(reversed(query))
    defects: list[UrlDefect] = []
    missing = [p for p in SIGV4_PARAMETERS if p not in names]
    if missing:
        defects.append(_missing_defect(missing, "sigv4"))
    sig = values.get("X-Amz-Signature")
    if sig is not None and not _HEX64.match(sig):
        if _HEX64.match(sig.lower()):
            defects.append(
                UrlDefect(
                    "malformed-signature",
                    "X-Amz-Signature",
                    "X-Amz-Signature is upper-case hex; SigV4 signers write lower-case hex and S3 "
                    "compares the signature as text, so expect SignatureDoesNotMatch. Something changed "
                    "the URL's case after signing: use the URL exactly as the signer returned it.",
                )
            )
        else:
            raise PresignedUrlError(_bad_v4_signature(sig))
    cred = _credential(values.get("X-Amz-Credential"), defects)
    amz_date = values.get("X-Amz-Date")
    signed_at = parse_amz_date(amz_date) if amz_date is not None else None
    if amz_date is not None and signed_at is None:
        defects.append(
            UrlDefect(
                "malformed-date",
                "X-Amz-Date",
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
            )
        )
    expires_in = _expires(values.get("X-Amz-Expires"), defects)
    signed = tuple(h for h in (values.get("X-Amz-SignedHeaders") or "").split(";") if h)
    if "X-Amz-SignedHeaders" in values and "host" not in signed:
        defects.append(
            UrlDefect(
                "malformed-signed-headers",
                "X-Amz-SignedHeaders",
                "X-Amz-SignedHeaders must include host.",
            )
        )
    expires_at = (
        signed_at + timedelta(seconds=expires_in) if signed_at and expires_in is not None else None
    )
    auth = {p.lower() for p in SIGV4_PARAMETERS} | {"x-amz-security-token"}
    hoisted = {n.lower() for n, _ in query} - auth  # signed headers S3 also reads from the query
    required: dict[str, str | None] = {h: None for h in signed if h != "host" and h not in hoisted}
    return PresignedUrl(
        **common,
        version="sigv4",
        algorithm=values.get("X-Amz-Algorithm"),
        access_key_id=cred[0],
        credential_date=cred[1],
        region=cred[2],
        service=cred[3],
        amz_date=amz_date,
        signed_at=signed_at,
        expires_in=expires_in,
        expires_at=expires_at,
        signed_headers=signed,
        session_token_present="X-Amz-Security-Token" in values,
        signature=sig,
        required_headers=required,
        defects=tuple(defects),
    )


def _bad_v4_signature(sig: str) -> str:
    # (the notebooks show this text: keep it stable)
    return (
        f"X-Amz-Signature must be 64 lower-case hex digits (a SigV4 signature is hex "
        f"HMAC-SHA256, not base64); this one has {len(sig)} characters. The URL looks truncated "
        "or edited: copy the whole URL again."
    )


def _credential(value: str | None, defects: list[UrlDefect]) -> tuple[str | None, ...]:
    if value is None:
        return (None, None, None, None)
    parts = value.split("/")
    if len(parts) != 5 or not all(parts):
        defects.append(
            UrlDefect(
                "malformed-credential",
                "X-Amz-Credential",
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
            )
        )
        return (parts[0] or None, None, None, None)
    akid, date, region, service, terminator = parts
    if not re.fullmatch(r"\d{8}", date) or terminator != "aws4_request":
        defects.append(
            UrlDefect(
                "malformed-credential",
                "X-Amz-Credential",
                f"The credential scope {date}/{region}/{service}/{terminator} is not "
                "YYYYMMDD/REGION/SERVICE/aws4_request.",
            )
        )
    return (akid, date, region, service)


def _expires(value: str | None, defects: list[UrlDefect]) -> int | None:
    if value is None:
        return None
    if not re.fullmatch(r"-?\d{1,12}", value):
        defects.append(
            UrlDefect("malformed-expires", "X-Amz-Expires", "X-Amz-Expires should be a number")
        )
        return None
    number = int(value)
    if number < 0:
        defects.append(
            UrlDefect("malformed-expires", "X-Amz-Expires", "X-Amz-Expires must be non-negative")
        )
    return number


def _sigv2(
    common: dict[str, Any], query: list[tuple[str, str]], names: set[str], region: str | None
) -> PresignedUrl:
    values = dict(reversed(query))
    defects: list[UrlDefect] = []
    missing = [p for p in ("Signature", "Expires", "AWSAccessKeyId") if p not in names]
    if missing:
        defects.append(_missing_defect(missing, "sigv2"))
    expires_at = None
    raw = values.get("Expires")
    if raw is not None:
        if re.fullmatch(r"\d{1,12}", raw):
            expires_at = datetime.fromtimestamp(int(raw), UTC)
        else:
            defects.append(
                UrlDefect(
                    "malformed-expires",
                    "Expires",
                    "Expires must be a number of seconds since 1970.",
                )
            )
    sig = values.get("Signature")
    if sig is not None and not re.fullmatch(r"[A-Za-z0-9+/ ]{27}=", sig):
        raise PresignedUrlError(
            f"Signature must be 28 base64 characters (SigV2 is base64 HMAC-SHA1); this one has "
            f"{len(sig)}. The URL looks truncated or edited: copy the whole URL again."
        )
    if sig is not None and " " in sig:
        defects.append(
            UrlDefect(
                "malformed-signature",
                "Signature",
                "The Signature contains a space: a '+' of the base64 signature was not percent-encoded "
                "as %2B, and S3 reads a bare '+' in a query string as a space, so expect "
                "SignatureDoesNotMatch. Encode '+' as %2B (botocore does) or use the URL exactly as "
                "the signer returned it.",
            )
        )
    required: dict[str, str | None] = {
        n.lower(): v for n, v in query if n.lower() in ("content-type", "content-md5")
    }
    return PresignedUrl(
        **common,
        version="sigv2",
        algorithm="HmacSHA1",
        access_key_id=values.get("AWSAccessKeyId"),
        region=region,
        service="s3",
        expires_at=expires_at,
        signature=sig,
        session_token_present="x-amz-security-token" in {n.lower() for n in names},
        signed_headers=tuple(
            sorted(
                ["content-md5", "content-type"]
                + [n.lower() for n in names if n.lower().startswith("x-amz-")]
            )
        ),
        required_headers=required,
        defects=tuple(defects),
    )
