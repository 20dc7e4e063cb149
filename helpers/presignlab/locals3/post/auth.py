"""Who signed a presigned POST form: required fields, access key, session token, signature (§2).

The form is signed over the ``policy`` field exactly as sent (its base64 text):

* SigV4 (``x-amz-algorithm`` … ``x-amz-signature``): the hex HMAC-SHA256 of the policy under
  the signing key derived from the ``x-amz-credential`` scope
  (:func:`presignlab.signing.sigv4.signing_key`);
* SigV2 (``AWSAccessKeyId`` + ``signature``): the base64 HMAC-SHA1 of the policy
  (:func:`presignlab.signing.sigv2.signature_v2`).

A mismatch is 403 SignatureDoesNotMatch with ``AWSAccessKeyId, StringToSign`` (the policy as
sent), ``SignatureProvided, StringToSignBytes`` and no CanonicalRequest. The access key and the
session token field ``x-amz-security-token`` are resolved like query auth
(:func:`presignlab.locals3.authn_common.resolve_credential`: InvalidAccessKeyId, InvalidToken,
ExpiredToken) before the signature is compared.

UNCONFIRMED choices:

* ``key`` is checked first, then the signature fields in the order X-Amz-Algorithm,
  X-Amz-Credential, X-Amz-Date, X-Amz-Signature (SigV4) or Signature, AWSAccessKeyId (SigV2),
  then ``policy`` (``Bucket POST must contain a field named 'Policy'. …``).
* A form is SigV4 when any ``x-amz-algorithm/credential/date/signature`` field is present, else
  SigV2 when ``AWSAccessKeyId`` or ``signature`` is; with neither it is anonymous when there is
  no policy either (the server's authorization decides), and 403 ``Access Denied`` otherwise.
* An ``x-amz-algorithm`` other than AWS4-HMAC-SHA256, or an ``x-amz-credential`` without five
  ``/``-separated parts, gives 400 InvalidArgument naming the field. The scope's region is not
  compared with the bucket's region, and ``x-amz-date`` is not compared with the scope date.
* With several fields of the same name (any case), the first one counts.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import datetime

from ...signing import sigv2, sigv4
from ..authn.common import resolve_credential
from ..authn.identity import Credential, CredentialStore
from ..wire.catalogue import access_denied, invalid_argument, signature_mismatch
from ..wire.errors import S3Error

__all__ = ["authenticate_form", "form_field", "missing_field"]

_V4_FIELDS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature")
_V2_FIELDS = ("Signature", "AWSAccessKeyId")


def form_field(fields: Sequence[tuple[str, str]], name: str) -> str | None:
    """The first value of field ``name`` (any case), or None."""
    return next((v for n, v in fields if n.lower() == name.lower()), None)


def missing_field(name: str) -> S3Error:
    """400 InvalidArgument ``Bucket POST must contain a field named '<name>'.  If …``.

    Note the two spaces after the first period, as AWS writes it.
    """
    return invalid_argument(
        f"Bucket POST must contain a field named '{name}'.  "
        "If it is specified, please check the order of the fields.",
        name,
        "",
    )


def _require(fields: Sequence[tuple[str, str]], names: Sequence[str]) -> list[str]:
    values = []
    for name in names:
        value = form_field(fields, name)
        if value is None:
            raise missing_field(name)
        values.append(value)
    return values


def _same(expected: str, provided: str) -> bool:
    return hmac.compare_digest(
        expected.encode("ascii"), provided.encode("utf-8", "surrogateescape")
    )


def authenticate_form(
    fields: Sequence[tuple[str, str]], *, store: CredentialStore, now: datetime
) -> Credential | None:
    """The credential that signed the form (None: an anonymous form), or the S3Error AWS answers."""
    if form_field(fields, "key") is None:
        raise missing_field("key")
    names = {n.lower() for n, _ in fields}
    is_v4 = any(f.lower() in names for f in _V4_FIELDS)
    is_v2 = not is_v4 and any(f.lower() in names for f in _V2_FIELDS)
    policy = form_field(fields, "policy")
    if not is_v4 and not is_v2:
        if policy is not None:
            raise access_denied("Access Denied")
        return None
    token = form_field(fields, "x-amz-security-token")
    if is_v4:
        algorithm, credential_field, _date, provided = _require(fields, _V4_FIELDS)
        if policy is None:
            raise missing_field("Policy")
        if algorithm != sigv4.ALGORITHM:
            raise invalid_argument(
                f'X-Amz-Algorithm only supports "{sigv4.ALGORITHM}"', "X-Amz-Algorithm", algorithm
            )
        parts = credential_field.split("/")
        if len(parts) != 5 or parts[4] != sigv4.TERMINATOR:
            raise invalid_argument(
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
                "X-Amz-Credential",
                credential_field,
            )
        access_key_id, date, region, service, _ = parts
        credential = resolve_credential(store, access_key_id, token, now)
        key = sigv4.signing_key(credential.secret_key, date, region, service)
        expected = sigv4.signature(key, policy)
    else:
        provided, access_key_id = _require(fields, _V2_FIELDS)
        if policy is None:
            raise missing_field("Policy")
        credential = resolve_credential(store, access_key_id, token, now)
        expected = sigv2.signature_v2(credential.secret_key, policy)
    if not _same(expected, provided):
        raise signature_mismatch(access_key_id, policy, provided)
    return credential
