"""The condition context of an S3 request: the ``aws:*`` and ``s3:*`` keys policies test.

Keys (IAM User Guide, "AWS global condition context keys"; Service Authorization Reference,
"Condition keys for Amazon S3"): ``aws:CurrentTime``, ``aws:EpochTime``, ``aws:SecureTransport``
(``false`` for the local endpoint), ``aws:SourceIp`` (127.0.0.1 unless given),
``aws:PrincipalArn`` (the role ARN for an assumed-role session), ``aws:PrincipalAccount``,
``aws:PrincipalType``, ``aws:username`` (IAM users only), ``aws:userid``; ``s3:authType``
(``REST-QUERY-STRING`` / ``REST-HEADER`` / ``POST``), ``s3:signatureversion``
(``AWS4-HMAC-SHA256`` / ``AWS``), ``s3:signatureAge`` (AUTHZ-07, AUTHZ-08), ``s3:prefix``, ``s3:delimiter``,
``s3:max-keys``, ``s3:VersionId`` and the ``s3:x-amz-*`` header keys (``x-amz-acl``, grants,
server-side encryption, storage class, copy source, metadata directive, content-sha256,
object ownership), read from the header or, when an SDK hoisted it, the query string.

UNCONFIRMED choices:

* ``s3:prefix`` / ``s3:delimiter`` / ``s3:max-keys`` are present only when the query has them;
* ``s3:signatureAge`` (milliseconds, never negative) for SigV4 from ``X-Amz-Date`` (query, header
  or a POST form's field) or ``Date``, also for header-signed requests (AWS documents it for
  presigned URLs and POST); always ``0`` for SigV2, as AWS documents (AUTHZ-07);
* ``aws:PrincipalType`` is ``User`` for a user's GetSessionToken sessions (``Account`` for the
  root's, which act as root everywhere).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ...signing.sent_request import SentRequest
from ..authn.identity import Principal

__all__ = ["acl_headers", "acts_as_root", "amz_value", "request_context"]

_CONTEXT_HEADERS = [
    "x-amz-acl",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-storage-class",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
    "x-amz-content-sha256",
    "x-amz-object-ownership",
    "x-amz-grant-read",
    "x-amz-grant-write",
    "x-amz-grant-read-acp",
    "x-amz-grant-write-acp",
    "x-amz-grant-full-control",
]


def amz_value(request: SentRequest, name: str) -> str | None:
    """A header's value, else the same name as a query parameter (SDKs hoist headers there)."""
    value = request.header(name)
    if value is not None:
        return value
    return next((v for n, v in request.query if n.lower() == name.lower()), None)


def acl_headers(request: SentRequest) -> dict[str, str]:
    """The ``x-amz-acl`` / ``x-amz-grant-*`` values a request sets (header or query)."""
    names = {n.lower() for n, _ in (*request.headers, *request.query)}
    wanted = sorted(n for n in names if n == "x-amz-acl" or n.startswith("x-amz-grant-"))
    return {n: v for n in wanted if (v := amz_value(request, n)) is not None}


def acts_as_root(principal: Principal | None) -> bool:
    """Whether ``principal`` is an account's root (its own key or a GetSessionToken session of it).

    Decided by the credential (kind ``root``, which only the root key and its sessions carry),
    never by the shape of an ARN: an assumed-role session named ``x:root`` is not the root.
    """
    return principal is not None and principal.kind == "root"


def _signature_date(request: SentRequest, scheme: str) -> datetime | None:
    text = request.param("X-Amz-Date") if scheme.endswith("query") else None
    text = text or request.header("x-amz-date")
    try:
        if text:
            return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        date = request.header("date")
        return parsedate_to_datetime(date) if date else None
    except (ValueError, TypeError):
        return None


def _principal_keys(
    principal: Principal, user_id: str | None, principal_arn: str | None
) -> dict[str, str]:
    keys = {"aws:PrincipalAccount": principal.account_id, "aws:PrincipalArn": principal.arn}
    if acts_as_root(principal):
        keys.update({"aws:PrincipalType": "Account", "aws:userid": principal.account_id})
    elif principal.kind in ("user", "session"):
        keys["aws:PrincipalType"] = "User"
        if principal.name:
            keys["aws:username"] = principal.name
    else:
        keys["aws:PrincipalType"] = "AssumedRole"
        keys["aws:PrincipalArn"] = f"arn:aws:iam::{principal.account_id}:role/{principal.name}"
    if principal_arn:
        keys["aws:PrincipalArn"] = principal_arn
    if user_id:
        keys["aws:userid"] = user_id
    return keys


def request_context(
    request: SentRequest,
    *,
    scheme: str,
    now: datetime,
    principal: Principal | None = None,
    user_id: str | None = None,
    principal_arn: str | None = None,
    source_ip: str = "127.0.0.1",
    secure_transport: bool = False,
) -> dict[str, list[str]]:
    """The condition context (``aws:*`` and ``s3:*`` keys) of a request.

    ``scheme`` is ``anonymous``, ``sigv4-query``, ``sigv4-header``, ``sigv2-query``,
    ``sigv2-header`` or one ending in ``post`` (browser form). ``user_id`` is ``aws:userid``
    (the IAM user id, ``ROLEID:session``); ``principal_arn`` overrides ``aws:PrincipalArn``
    (the role ARN with its path for a session).
    """
    now = now.astimezone(UTC)
    keys: dict[str, str] = {
        "aws:CurrentTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": "true" if secure_transport else "false",
        "aws:SourceIp": source_ip,
    }
    if principal is not None:
        keys.update(_principal_keys(principal, user_id, principal_arn))
    if scheme != "anonymous":
        keys["s3:authType"] = (
            "POST"
            if scheme.endswith("post")
            else "REST-QUERY-STRING"
            if scheme.endswith("query")
            else "REST-HEADER"
        )
        keys["s3:signatureversion"] = "AWS4-HMAC-SHA256" if scheme.startswith("sigv4") else "AWS"
        if scheme.startswith("sigv4"):  # AUTHZ-07: milliseconds since the signed date
            signed_at = _signature_date(request, scheme)
            if signed_at is not None:
                age = max(0, int((now - signed_at).total_seconds() * 1000))
                keys["s3:signatureAge"] = str(age)
        else:  # AUTHZ-07: "In Signature Version 2, this value is always set to 0"
            keys["s3:signatureAge"] = "0"
    for name in ("prefix", "delimiter", "max-keys"):
        value = request.param(name)
        if value is not None:
            keys[f"s3:{name}"] = value
    for name in _CONTEXT_HEADERS:
        value = amz_value(request, name)
        if value is not None:
            keys[f"s3:{name}"] = value
    version = request.param("versionId")
    if version is not None:
        keys["s3:VersionId"] = version
    return {k: [v] for k, v in keys.items()}
