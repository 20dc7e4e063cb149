"""SigV2 authentication: presigned (query) URLs and the signature check header auth shares.

Order for a SigV2 presigned URL (AUTH-V2-02 to AUTH-V2-04): the three parameters, the ``Expires`` value,
expiry, then the access key and session token, then the signature. SigV2 never answers
HeadersNotSigned: an extra ``x-amz-*`` header changes the string to sign, so the signature
does not match.

UNCONFIRMED choices:

* A SigV2 URL is one carrying ``Signature`` or ``AWSAccessKeyId``; ``Expires`` alone is an
  ordinary query parameter.
* An ``Expires`` that is not a whole number of seconds gives 403 AccessDenied
  ``Invalid date (should be seconds since epoch): <value>``.
* Expired means ``now`` after ``Expires`` (that second itself is still valid).
* The session token is the ``x-amz-security-token`` query parameter (any case), else the
  header of that name.
* ``AuthResult.signed_headers`` lists what SigV2 covers: ``content-md5``, ``content-type`` and
  the ``x-amz-*`` headers sent.
"""

from __future__ import annotations

import hmac
import re
from datetime import UTC, datetime

from ...signing import sigv2
from ...signing.sent_request import SentRequest, sigv2_string_to_sign
from ..wire.catalogue import access_denied, request_expired, signature_mismatch
from .common import AuthResult, resolve_credential
from .identity import Credential, CredentialStore

__all__ = ["authenticate_query_v2", "signed_headers_v2", "v2_token", "verify_v2"]

_PARAMETERS = ("Signature", "Expires", "AWSAccessKeyId")


def verify_v2(
    request: SentRequest,
    *,
    resource_path: str,
    date_line: str,
    access_key_id: str,
    provided: str,
    credential: Credential,
) -> None:
    """§1c: recompute the SigV2 signature (``date_line`` is Expires or the Date header)."""
    to_sign = sigv2_string_to_sign(request, resource_path, date_line)
    expected = sigv2.signature_v2(credential.secret_key, to_sign)
    if not hmac.compare_digest(
        expected.encode("ascii"), provided.encode("utf-8", "surrogateescape")
    ):
        raise signature_mismatch(access_key_id, to_sign, provided)


def v2_token(request: SentRequest) -> str | None:
    """The session token of a SigV2 request: query parameter first, then header."""
    from_query = next((v for n, v in request.query if n.lower() == "x-amz-security-token"), None)
    return from_query if from_query is not None else request.header("x-amz-security-token")


def signed_headers_v2(request: SentRequest) -> tuple[str, ...]:
    """The header names a SigV2 signature covers for ``request``."""
    amz = {n.lower() for n, _ in request.headers if n.lower().startswith("x-amz-")}
    return tuple(sorted({"content-md5", "content-type"} | amz))


def authenticate_query_v2(
    request: SentRequest,
    *,
    store: CredentialStore,
    now: datetime,
    resource_path: str,
) -> AuthResult:
    """Authenticate a SigV2 presigned URL; ``resource_path`` is ``/bucket/key`` (decoded)."""
    params = dict(reversed(request.query))
    if any(name not in params for name in _PARAMETERS):
        raise access_denied(
            "Query-string authentication requires the Signature, Expires and AWSAccessKeyId "
            "parameters"
        )
    expires = params["Expires"]
    if not re.fullmatch(r"[0-9]+", expires):
        raise access_denied(f"Invalid date (should be seconds since epoch): {expires}")
    digits = expires.lstrip("0") or "0"
    if len(digits) <= 12 and now.timestamp() > int(digits):  # longer: far in the future
        raise request_expired(datetime.fromtimestamp(int(digits), UTC), now, None)
    access_key_id = params["AWSAccessKeyId"]
    credential = resolve_credential(store, access_key_id, v2_token(request), now)
    verify_v2(
        request,
        resource_path=resource_path,
        date_line=expires,
        access_key_id=access_key_id,
        provided=params["Signature"],
        credential=credential,
    )
    return AuthResult(credential, "sigv2-query", signed_headers_v2(request), None)
