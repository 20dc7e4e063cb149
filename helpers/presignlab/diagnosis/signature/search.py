"""Find the change that reproduces a presigned URL's signature, within a time budget.

When the signature recomputed for the request S3 received differs from the one in the URL,
the signer signed something else. :func:`search` tries the candidates of
:mod:`presignlab.diagnosis.signature.candidates` in order and returns the first one whose signature
equals the URL's: that candidate is exactly what was signed (an HMAC-SHA256 match cannot
happen by chance). It stops at :data:`SEARCH_BUDGET` seconds, and says so.

The signing key is derived once per region (:class:`Signer`); each candidate then costs one
canonical request, one SHA-256 and one HMAC.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

from ...signing import sigv2, sigv4
from ...signing.presigned_url import PresignedUrl
from ...signing.sent_request import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from .candidates import Candidate, SearchInput, candidates

__all__ = ["SEARCH_BUDGET", "SearchResult", "Signed", "Signer", "search", "sigv2_resource"]

#: The longest a search may run, in seconds (the benchmark measures the worst case under it).
SEARCH_BUDGET = 0.5


@dataclass(frozen=True)
class Signed:
    """The text signed for a request and the resulting signature."""

    canonical_request: str | None  # None for SigV2
    string_to_sign: str
    signature: str


@dataclass(frozen=True)
class SearchResult:
    """What the search found (``hit``), how many candidates it tried and whether it ran out of time."""

    hit: tuple[Candidate, Signed] | None
    tried: int
    timed_out: bool


def sigv2_resource(url: PresignedUrl, request: SentRequest) -> str:
    """SigV2 ``/bucket/key``: a virtual-hosted request puts the bucket back in front of the path."""
    if (
        url.addressing == "virtual"
        and url.bucket
        and request.host.lower().startswith(url.bucket + ".")
    ):
        return f"/{url.bucket}{request.path}"
    return request.path


def _with_uri(canonical: str, uri: str) -> str:
    method, _, rest = canonical.partition("\n")
    return f"{method}\n{uri}\n{rest.partition(chr(10))[2]}"


class Signer:
    """Signs requests for one presigned URL with one secret; the signing key is derived once."""

    def __init__(self, url: PresignedUrl, secret_key: str) -> None:
        self.url = url
        self._secret = secret_key
        self.version = url.version
        self.region = url.region or "us-east-1"
        self.service = url.service or "s3"
        self._date = url.amz_date or ""
        self._keys: dict[str, bytes] = {}
        self._expires = url.param("Expires") or ""

    def stripped(self) -> Signer | None:
        """A signer for the same URL with the secret's surrounding white space removed, if it has any."""
        trimmed = self._secret.strip()
        return Signer(self.url, trimmed) if trimmed != self._secret else None

    def _key(self, region: str) -> bytes:
        key = self._keys.get(region)
        if key is None:
            key = self._keys[region] = sigv4.signing_key(
                self._secret, self._date, region, self.service
            )
        return key

    def sign_canonical(self, canonical: str, region: str | None = None) -> Signed:
        """String to sign and signature for a SigV4 canonical request text."""
        region = region or self.region
        to_sign = sigv4_string_to_sign(canonical, self._date, region, self.service)
        return Signed(canonical, to_sign, sigv4.signature(self._key(region), to_sign))

    def sign_string(self, to_sign: str) -> Signed:
        """The signature of a string to sign as it is (SigV2, or a SigV4 string S3 echoed)."""
        if self.version == "sigv2":
            return Signed(None, to_sign, sigv2.signature_v2(self._secret, to_sign))
        return Signed(None, to_sign, sigv4.signature(self._key(self.region), to_sign))

    def sign(
        self, request: SentRequest, region: str | None = None, uri: str | None = None
    ) -> Signed:
        """Canonical request, string to sign and signature for ``request`` (and ``region``, ``uri``)."""
        if self.version == "sigv2":
            resource = sigv2_resource(self.url, request)
            to_sign = sigv2_string_to_sign(request, resource, self._expires)
            if uri is not None:
                head, _, last = to_sign.rpartition("\n")
                prefix = resource[: len(resource) - len(request.path)]
                subs = last.partition("?")
                to_sign = f"{head}\n{prefix}{uri}{subs[1]}{subs[2]}"
            return Signed(None, to_sign, sigv2.signature_v2(self._secret, to_sign))
        canonical = sigv4_canonical_request(request, self.url.signed_headers)
        if uri is not None:
            canonical = _with_uri(canonical, uri)
        return self.sign_canonical(canonical, region)

    def matches(self, signed: Signed) -> bool:
        """True when ``signed`` reproduces the URL's signature (constant-time comparison)."""
        provided = (self.url.signature or "").replace(" ", "+")
        return hmac.compare_digest(signed.signature.encode(), provided.encode())


def search(signer: Signer, given: SearchInput, budget: float = SEARCH_BUDGET) -> SearchResult:
    """The first candidate whose signature equals the URL's, with what it signed (or none)."""
    deadline = time.perf_counter() + budget
    tried = 0
    for candidate in candidates(given):
        tried += 1
        signed = signer.sign(candidate.request, candidate.region, candidate.uri)
        if signer.matches(signed):
            return SearchResult((candidate, signed), tried, False)
        if tried % 64 == 0 and time.perf_counter() > deadline:
            return SearchResult(None, tried, True)
    return SearchResult(None, tried, False)
