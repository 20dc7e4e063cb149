"""Authentication for the strict local S3: who signed a request, decided exactly as Amazon S3 does.

:func:`authenticate` is pure: no HTTP, no clock of its own. The server's middleware hands it a
:class:`~presignlab.signing.sent_request.SentRequest`, the target bucket's region, a credential store and
its clock's ``now``; it returns an :class:`AuthResult` or raises the
:class:`~presignlab.locals3.s3_error.S3Error` AWS would answer. Authorization comes after it.

Which scheme applies:

* an ``Authorization`` header: SigV4 (``AWS4-HMAC-SHA256 …``, :mod:`.authn_header`) or SigV2
  (``AWS AKID:signature``);
* else ``X-Amz-Algorithm``, or any other of the six ``X-Amz-*`` parameters without
  ``Signature`` or ``AWSAccessKeyId``: a SigV4 presigned URL (:mod:`.authn_sigv4`);
* else ``Signature`` or ``AWSAccessKeyId``: a SigV2 presigned URL (:mod:`.authn_sigv2`);
* else the request is anonymous.

SigV2 (either form) is answered 400 InvalidRequest in a bucket region that takes only SigV4
(AUTH-V2-05; the regions that take SigV2 are :data:`SIGV2_REGIONS`, CHOICE-62). AWS said in 2019
that buckets created after 2020-06-24 would refuse SigV2, yet responses recorded in February 2026
show new us-east-1 buckets accepting it (AUTH-V2-01): the kit follows the recordings.

Each module's docstring lists its check order and its UNCONFIRMED choices. Those made here:

* More than one mechanism (an Authorization header, ``X-Amz-Algorithm``, ``Signature``) gives
  400 InvalidArgument ``Only one auth mechanism allowed; only the X-Amz-Algorithm query
  parameter, Signature query string parameter or the Authorization header should be
  specified`` with ``ArgumentName`` Authorization and ``ArgumentValue`` the header (or empty).
* An Authorization header that is neither SigV4 nor SigV2 gives 400 InvalidArgument
  ``Unsupported Authorization Type`` with ``ArgumentName`` Authorization.
* Text that cannot be encoded (a safety net: the checks reject such input earlier) gives 400
  InvalidRequest.

Secrets never appear in errors; only an unknown session token is echoed (``<Token-0>``).
"""

from __future__ import annotations

from datetime import datetime

from ...signing import sigv4
from ...signing.presigned_url import SIGV4_PARAMETERS
from ...signing.sent_request import SentRequest
from ..wire.catalogue import invalid_argument, invalid_request, sigv4_required
from .common import AuthResult
from .header import authenticate_header_v2, authenticate_header_v4
from .identity import CredentialStore
from .sigv2 import authenticate_query_v2
from .sigv4_query import authenticate_query_v4

__all__ = ["SIGV2_REGIONS", "AuthResult", "authenticate"]

#: The regions that still take SigV2 (launched before 2014, CHOICE-62).
SIGV2_REGIONS = frozenset(
    {
        "us-east-1",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "sa-east-1",
    }
)
_ONLY_ONE = (
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
    "string parameter or the Authorization header should be specified"
)


def authenticate(
    request: SentRequest,
    *,
    bucket_region: str | None,
    store: CredentialStore,
    now: datetime,
    service: str = "s3",
    body_sha256: str | None = None,
    resource_path: str | None = None,
) -> AuthResult:
    """Authenticate ``request`` at ``now`` the way Amazon S3 does, or raise its S3Error.

    ``bucket_region`` is the target bucket's region (None: no bucket, no region check).
    ``body_sha256`` is the body's hex SHA-256, needed only for iam/sts header auth without an
    ``x-amz-content-sha256`` header. ``resource_path`` is SigV2's ``/bucket/key`` (decoded);
    it defaults to ``request.path``, which is right for path-style requests only.
    """
    try:
        return _dispatch(
            request,
            bucket_region=bucket_region,
            store=store,
            now=now,
            service=service,
            body_sha256=body_sha256,
            resource_path=request.path if resource_path is None else resource_path,
        )
    except UnicodeError as exc:
        raise invalid_request("The request contains text that cannot be read as UTF-8.") from exc


def _check_sigv2_region(service: str, bucket_region: str | None) -> None:
    """AUTH-V2-05: regions launched after January 2014 take only SigV4 (CHOICE-62)."""
    if service == "s3" and bucket_region is not None and bucket_region not in SIGV2_REGIONS:
        raise sigv4_required()


def _dispatch(
    request: SentRequest,
    *,
    bucket_region: str | None,
    store: CredentialStore,
    now: datetime,
    service: str,
    body_sha256: str | None,
    resource_path: str,
) -> AuthResult:
    authorization = request.header("authorization")
    names = {name for name, _ in request.query}
    mechanisms = (authorization is not None) + ("X-Amz-Algorithm" in names) + ("Signature" in names)
    if mechanisms > 1:
        raise invalid_argument(_ONLY_ONE, "Authorization", authorization or "")
    if authorization is not None:
        kind = authorization.split(" ", 1)[0]
        if kind == sigv4.ALGORITHM:
            return authenticate_header_v4(
                request,
                authorization,
                bucket_region=bucket_region,
                store=store,
                now=now,
                service=service,
                body_sha256=body_sha256,
            )
        if kind == "AWS":
            _check_sigv2_region(service, bucket_region)
            return authenticate_header_v2(
                request, authorization, store=store, now=now, resource_path=resource_path
            )
        raise invalid_argument("Unsupported Authorization Type", "Authorization", authorization)
    sigv2_query = "Signature" in names or "AWSAccessKeyId" in names
    if "X-Amz-Algorithm" in names or (names & set(SIGV4_PARAMETERS) and not sigv2_query):
        return authenticate_query_v4(
            request, bucket_region=bucket_region, store=store, now=now, service=service
        )
    if sigv2_query:
        _check_sigv2_region(service, bucket_region)
        return authenticate_query_v2(request, store=store, now=now, resource_path=resource_path)
    return AuthResult(None, "anonymous")
