"""STS GetSessionToken, answered by the strict local S3 itself.

moto answers GetSessionToken with one fixed example key that it does not record, and that key
is the root key of the local S3. We issue a real, recorded session instead
(:meth:`~presignlab.locals3.credentials.MotoCredentialStore.issue_session`) dated on the
LocalS3 clock, and answer in STS's query-API XML shape.

Rules (AWS STS API reference, GetSessionToken): ``DurationSeconds`` is 900..129600 (default
43200); the root user is capped at 3600; temporary credentials may not call it.

AssumeRole is answered by moto; :func:`redate_assumed_role` dates the new session on the LocalS3
clock and rewrites the ``Expiration`` moto printed (in real time) to match.

GetCallerIdentity is answered here too, from the credential that signed the call (moto would
name every caller ``user/moto``). UserId: the account id for root, else the access key id (AWS
uses the user's or role's unique id, which is not modelled: UNCONFIRMED).

UNCONFIRMED: the out-of-range message follows STS's usual ``1 validation error detected: ...``
wording; calling with temporary credentials gives 403 AccessDenied ``Cannot call
GetSessionToken with session credentials``.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from ..authn.credentials import MotoCredentialStore
from ..authn.identity import Credential, Principal
from ..wire.catalogue import access_denied, validation_error
from ..wire.errors import new_request_ids

__all__ = ["action_of", "get_caller_identity", "get_session_token", "redate_assumed_role"]

_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"
_MIN, _MAX, _DEFAULT, _ROOT_MAX = 900, 129600, 43200, 3600


def action_of(body: bytes, query: tuple[tuple[str, str], ...]) -> tuple[str | None, dict[str, str]]:
    """The query-API ``Action`` and parameters from a form body (or the query string)."""
    params = dict(query)
    with contextlib.suppress(UnicodeError):
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params.get("Action"), params


def _duration(params: dict[str, str], caller: Principal) -> timedelta:
    text = params.get("DurationSeconds")
    try:
        seconds = int(text) if text is not None else _DEFAULT
    except ValueError:
        raise validation_error(
            f"Value '{str(text)[:32]}' at 'durationSeconds' is not a number"
        ) from None
    bound = "greater than or equal to 900" if seconds < _MIN else "less than or equal to 129600"
    if not _MIN <= seconds <= _MAX:
        raise validation_error(
            f"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to "
            f"satisfy constraint: Member must have value {bound}"
        )
    if caller.kind == "root":
        seconds = min(seconds, _ROOT_MAX)
    return timedelta(seconds=seconds)


def get_session_token(
    store: MotoCredentialStore, signer: Credential, params: dict[str, str], now: datetime
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Issue a session acting as ``signer``'s principal; returns ``(status, headers, body)``."""
    caller = signer.principal
    if signer.session_token is not None:
        raise access_denied("Cannot call GetSessionToken with session credentials")
    credential = store.issue_session(caller, _duration(params, caller), now)
    expires = (credential.expires_at or now).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    request_id, _ = new_request_ids()
    body = (
        f'<GetSessionTokenResponse xmlns="{_XMLNS}"><GetSessionTokenResult><Credentials>'
        f"<AccessKeyId>{credential.access_key_id}</AccessKeyId>"
        f"<SecretAccessKey>{escape(credential.secret_key)}</SecretAccessKey>"
        f"<SessionToken>{escape(credential.session_token or '')}</SessionToken>"
        f"<Expiration>{expires}</Expiration>"
        f"</Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>{request_id}"
        f"</RequestId></ResponseMetadata></GetSessionTokenResponse>"
    ).encode()
    headers = [
        ("Content-Type", "text/xml"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", request_id),
    ]
    return 200, headers, body


def _xml_answer(action: str, result: str) -> tuple[int, list[tuple[str, str]], bytes]:
    request_id, _ = new_request_ids()
    body = (
        f'<{action}Response xmlns="{_XMLNS}"><{action}Result>{result}</{action}Result>'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
        f"</{action}Response>"
    ).encode()
    return (
        200,
        [
            ("Content-Type", "text/xml"),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
        body,
    )


def get_caller_identity(
    principal: Principal, access_key_id: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Who signed the call: ``(status, headers, body)`` of STS GetCallerIdentity."""
    user_id = principal.account_id if principal.kind == "root" else access_key_id
    result = (
        f"<Arn>{escape(principal.arn)}</Arn><UserId>{escape(user_id)}</UserId>"
        f"<Account>{principal.account_id}</Account>"
    )
    return _xml_answer("GetCallerIdentity", result)


_ACCESS_KEY_ID = re.compile(rb"<AccessKeyId>([^<]+)</AccessKeyId>")
_EXPIRATION = re.compile(rb"<Expiration>[^<]*</Expiration>")


def redate_assumed_role(store: MotoCredentialStore, body: bytes, now: datetime) -> bytes:
    """Date the AssumeRole session in ``body`` on the clock; ``body`` with that Expiration."""
    store.record_assumed_roles(now)
    found = _ACCESS_KEY_ID.search(body)
    credential = store.lookup(found.group(1).decode("ascii", "replace")) if found else None
    if credential is None or credential.expires_at is None:
        return body
    stamp = credential.expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    return _EXPIRATION.sub(b"<Expiration>" + stamp + b"</Expiration>", body, count=1)
