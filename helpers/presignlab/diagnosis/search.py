"""Find the single change that reproduces a presigned URL's signature.

When the signature recomputed for the request S3 received differs from the one in the URL,
the signer signed something else. :func:`search` tries a bounded set of single changes to the
request (:mod:`presignlab.diagnosis.candidates`) and returns the first one whose signature equals the URL's: that
candidate is what was signed.

The signing key is derived once (:class:`Signer`); each candidate then costs one canonical
request, one SHA-256 and one HMAC. Region candidates derive their own key.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from .. import sigv2, sigv4
from ..presigned_url import PresignedUrl
from ..query_auth import (
    SentRequest,
    sigv2_string_to_sign,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from .candidates import Candidate, candidates

__all__ = ["Signed", "Signer", "search", "sigv2_resource"]


@dataclass(frozen=True)
class Signed:
    """The text signed for a request and the resulting signature."""

    canonical_request: str | None  # None for SigV2
    string_to_sign: str
    signature: str


def sigv2_resource(url: PresignedUrl, request: SentRequest) -> str:
    """SigV2 ``/bucket/key``: a virtual-hosted request puts the bucket back in front of the path."""
    if (
        url.addressing == "virtual"
        and url.bucket
        and request.host.lower().startswith(url.bucket + ".")
    ):
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
        self._keys = {
            self.region: sigv4.signing_key(secret_key, self._date, self.region, self.service)
        }
        self._expires = url.param("Expires") or ""

    def stripped(self) -> Signer | None:
        """A signer for the same URL with the secret's surrounding white space removed, if it has any."""
        return (
            Signer(self.url, self._secret.strip()) if self._secret != self._secret.strip() else None
        )

    def sign(self, request: SentRequest, region: str | None = None) -> Signed:
        """Canonical request, string to sign and signature for ``request`` (and ``region``)."""
        if self.version == "sigv2":
            to_sign = sigv2_string_to_sign(
                request, sigv2_resource(self.url, request), self._expires
            )
            return Signed(None, to_sign, sigv2.signature_v2(self._secret, to_sign))
        region = region or self.region
        key = self._keys.get(region)
        if key is None:
            key = self._keys[region] = sigv4.signing_key(
                self._secret, self._date, region, self.service
            )
        canonical = sigv4_canonical_request(request, self.url.signed_headers)
        to_sign = sigv4_string_to_sign(canonical, self._date, region, self.service)
        return Signed(canonical, to_sign, sigv4.signature(key, to_sign))

    def matches(self, signed: Signed) -> bool:
        """True when ``signed`` reproduces the URL's signature (constant-time comparison)."""
        provided = (self.url.signature or "").replace(" ", "+")
        return hmac.compare_digest(signed.signature.encode(), provided.encode())


def search(signer: Signer, request: SentRequest) -> tuple[Candidate, Signed] | None:
    """The first candidate whose signature equals the URL's, with what it signed; or None."""
    for candidate in candidates(signer.url, request):
        signed = signer.sign(candidate.request, candidate.region)
        if signer.matches(signed):
            return candidate, signed
    return None
