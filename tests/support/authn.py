"""Shared pieces of the authentication tests: example keys, a tiny credential store, signers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import boto3
from botocore.auth import HmacV1Auth, S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from presignlab.locals3.authn import authenticate
from presignlab.locals3.authn.common import AuthResult
from presignlab.locals3.authn.identity import Credential, Principal
from presignlab.locals3.wire.errors import S3Error
from presignlab.signing.presigned_url import parse_amz_date
from presignlab.signing.sent_request import SentRequest

ENDPOINT = "http://127.0.0.1:9000"
AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OTHER_AK = "AKIAI44QH8DHBEXAMPLE"
OTHER_SK = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
INACTIVE_AK = "AKIAINACTIVEEXAMPLE1"
TEMP_AK = "ASIAIOSFODNN7EXAMPLE"
TEMP_SK = "tempSecretKeyExample/0123456789abcdefghi"
TOKEN = "FwoGZXIvYXdzEXAMPLE/session+token="
TOKEN_EXPIRES = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
ROOT = Principal("root", "123456789012", "arn:aws:iam::123456789012:root")


class Store:
    """A dict-backed CredentialStore."""

    def __init__(self, credentials: Iterable[Credential]) -> None:
        self.by_key = {c.access_key_id: c for c in credentials}

    def lookup(self, access_key_id: str) -> Credential | None:
        return self.by_key.get(access_key_id)

    def lookup_token(self, session_token: str) -> Credential | None:
        return next((c for c in self.by_key.values() if c.session_token == session_token), None)


STORE = Store(
    [
        Credential(AK, SK, ROOT),
        Credential(OTHER_AK, OTHER_SK, ROOT),
        Credential(INACTIVE_AK, SK, ROOT, active=False),
        Credential(TEMP_AK, TEMP_SK, ROOT, session_token=TOKEN, expires_at=TOKEN_EXPIRES),
    ]
)


def s3_client(
    signature_version: str = "s3v4",
    *,
    style: str = "path",
    temporary: bool = False,
    region: str = "us-east-1",
):  # type: ignore[no-untyped-def]
    """A boto3 S3 client pointed at the local endpoint (no network is used to presign)."""
    keys = (
        {"aws_access_key_id": TEMP_AK, "aws_secret_access_key": TEMP_SK, "aws_session_token": TOKEN}
        if temporary
        else {"aws_access_key_id": AK, "aws_secret_access_key": SK}
    )
    return boto3.client(
        "s3",
        region_name=region,
        endpoint_url=ENDPOINT,
        **keys,
        config=Config(signature_version=signature_version, s3={"addressing_style": style}),
    )


def signed_at(url: str) -> datetime:
    """The X-Amz-Date of a SigV4 URL as an aware datetime."""
    value = dict(parse_qsl(urlsplit(url).query))["X-Amz-Date"]
    parsed = parse_amz_date(value)
    assert parsed is not None
    return parsed


def v2_expires(url: str) -> datetime:
    return datetime.fromtimestamp(int(dict(parse_qsl(urlsplit(url).query))["Expires"]), UTC)


def with_param(url: str, name: str, value: str | None) -> str:
    """``url`` with query parameter ``name`` replaced (None removes it), order kept."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    out = [(n, v if n != name else value) for n, v in pairs if n != name or value is not None]
    return urlunsplit(parts._replace(query=urlencode(out, safe="")))


def header_signed(
    auth,
    method: str,
    url: str,
    headers: dict[str, str] | None = None,  # type: ignore[no-untyped-def]
    body: bytes = b"",
) -> SentRequest:
    """A request signed in its headers by a botocore signer, as the server would receive it."""
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    auth.add_auth(request)
    prepared = request.prepare()
    return SentRequest.to_url(prepared.url, method, list(prepared.headers.items()))


def s3_header_auth(region: str = "us-east-1", temporary: bool = False) -> S3SigV4Auth:
    creds = Credentials(TEMP_AK, TEMP_SK, TOKEN) if temporary else Credentials(AK, SK)
    return S3SigV4Auth(creds, "s3", region)


def v4_header_auth(service: str, region: str = "us-east-1") -> SigV4Auth:
    return SigV4Auth(Credentials(AK, SK), service, region)


def v2_header_auth() -> HmacV1Auth:
    return HmacV1Auth(Credentials(AK, SK))


def header_time(request: SentRequest) -> datetime:
    value = request.header("x-amz-date")
    assert value is not None
    parsed = parse_amz_date(value)
    assert parsed is not None
    return parsed


def auth(
    request: SentRequest,
    now: datetime,
    *,
    bucket_region: str | None = "us-east-1",
    **kwargs: object,
) -> AuthResult:
    return authenticate(request, bucket_region=bucket_region, store=STORE, now=now, **kwargs)  # type: ignore[arg-type]


def fails(request: SentRequest, now: datetime, **kwargs: object) -> S3Error:
    """The S3Error authentication raises (fails the test if it authenticates)."""
    try:
        result = auth(request, now, **kwargs)  # type: ignore[arg-type]
    except S3Error as error:
        return error
    raise AssertionError(f"authenticated unexpectedly: {result}")


def names(error: S3Error) -> list[str]:
    return [name for name, _ in error.extra]


def extra(error: S3Error) -> dict[str, str]:
    return dict(error.extra)


SECOND = timedelta(seconds=1)
