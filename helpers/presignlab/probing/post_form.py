"""A SigV4-signed browser POST form, dated by an explicit clock (boto3's reads real time).

The policy is the JSON document S3 checks (expiration and conditions, POST-05/POST-06), sent
base64-encoded in the ``policy`` field; the signature is the SigV4 HMAC of that base64 text
under the signing key of the credential's date and region (Doc "Creating a POST policy").
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ..signing import sigv4

__all__ = ["signed_post_fields"]


def signed_post_fields(
    *,
    bucket: str,
    key: str,
    conditions: list[Any],
    access_key: str,
    secret_key: str,
    region: str,
    now: datetime,
    expires_in: int = 600,
    session_token: str | None = None,
    extra_fields: tuple[tuple[str, str], ...] = (),
) -> list[tuple[str, str]]:
    """The form fields in order (key, extras, credentials, policy, signature), file excluded.

    ``conditions`` come after the bucket condition; the signing fields' own conditions are
    added. A negative ``expires_in`` gives an already-expired policy.
    """
    amz_date = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    credential = f"{access_key}/{sigv4.credential_scope(amz_date, region)}"
    signing = [
        ("x-amz-algorithm", sigv4.ALGORITHM),
        ("x-amz-credential", credential),
        ("x-amz-date", amz_date),
    ]
    if session_token:
        signing.append(("x-amz-security-token", session_token))
    expiration = (now.astimezone(UTC) + timedelta(seconds=expires_in)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    policy = {
        "expiration": expiration,
        "conditions": [{"bucket": bucket}, *conditions, *({n: v} for n, v in signing)],
    }
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    signature = sigv4.signature(sigv4.signing_key(secret_key, amz_date, region), encoded)
    return [
        ("key", key),
        *extra_fields,
        *signing,
        ("policy", encoded),
        ("x-amz-signature", signature),
    ]
