"""What every authentication scheme of the strict local S3 shares.

:class:`AuthResult` is the answer of :func:`presignlab.locals3.authn.authenticate`;
:func:`resolve_credential` turns an access key id and an optional session token into a
:class:`~presignlab.locals3.identity.Credential` the way S3 does before it compares signatures
(AUTH-KEY-01 to AUTH-KEY-04).

Choices (docs/aws-behaviour.md CHOICE-38 to CHOICE-41):

* When a session token is sent, it is checked before the access key: an unknown or malformed
  token gives ``InvalidToken`` even if the key is unknown too.
* ``ExpiredToken`` carries no ``<Token-0>``: the token was a real secret once, and secrets never
  appear in our output (AWS probably echoes it).
* A token that belongs to another access key gives ``InvalidToken`` *without* ``<Token-0>`` for
  the same reason; only a token no session knows is echoed.
* A session expires when ``now >= expires_at``.
* A temporary credential (one with a session token) used without its token, and an inactive
  key, both give ``InvalidAccessKeyId`` (AUTH-KEY-01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..wire.catalogue import expired_token, invalid_access_key, invalid_token
from .identity import Credential, CredentialStore

__all__ = ["MAX_SKEW", "AuthResult", "resolve_credential"]

#: How far a request's date may be from the server's clock (header auth, and "not yet valid").
MAX_SKEW = timedelta(minutes=15)


@dataclass(frozen=True)
class AuthResult:
    """Who signed a request and how.

    ``scheme`` is ``anonymous``, ``sigv4-query``, ``sigv4-header``, ``sigv2-query`` or
    ``sigv2-header``. ``signed_headers`` are the lower-case header names the signature covers.
    ``payload_hash`` is the payload line a SigV4 header signature covered (a hex SHA-256,
    ``UNSIGNED-PAYLOAD`` or a ``STREAMING-…`` value), which the server checks the body against;
    None for the other schemes. For SigV4, ``region`` is the credential scope's region,
    ``amz_date`` the signed instant and ``signature`` the signature sent (the seed of an
    aws-chunked body's chunk signatures).
    """

    credential: Credential | None
    scheme: str
    signed_headers: tuple[str, ...] = ()
    payload_hash: str | None = None
    region: str | None = None
    amz_date: str | None = None
    signature: str | None = None


def resolve_credential(
    store: CredentialStore, access_key_id: str, token: str | None, now: datetime
) -> Credential:
    """The active credential for ``access_key_id`` (and ``token``), or the S3Error AWS answers."""
    if token is not None:
        owner = store.lookup_token(token)
        if owner is None:
            raise invalid_token(token)
        if owner.access_key_id != access_key_id:
            raise invalid_token(None)
        if owner.expires_at is not None and now >= owner.expires_at:
            raise expired_token()
        if not owner.active:
            raise invalid_access_key(access_key_id)
        return owner
    credential = store.lookup(access_key_id)
    if credential is None or not credential.active or credential.session_token is not None:
        raise invalid_access_key(access_key_id)
    return credential
