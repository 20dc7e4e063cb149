"""Shared fixtures of the diagnosis tests: AWS's example keys, a fixed clock, URL makers, bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import boto3
from botocore.config import Config

from presignlab import presign_v2, presign_v4
from presignlab.clock import Clock
from presignlab.lab.botocore_clock import follow_clock, followed_clock, unfollow_clock

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SIGNED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SOON = SIGNED_AT + timedelta(minutes=5)
PNG_HEADERS = {"Content-Type": "image/png"}
BUCKET_URL = "https://examplebucket.s3.us-east-1.amazonaws.com"


def v4(
    key: str = "photos/cat.png",
    *,
    method: str = "PUT",
    headers: dict[str, str] | None = None,
    region: str = "us-east-1",
    base: str = BUCKET_URL,
    expires: int = 3600,
    secret: str = SECRET_KEY,
    **kwargs: object,
) -> str:
    """A SigV4 URL made with presign_v4 at SIGNED_AT."""
    return presign_v4(
        method,
        f"{base}/{key}",
        access_key=ACCESS_KEY,
        secret_key=secret,
        region=region,
        now=SIGNED_AT,
        expires=expires,
        headers=headers or {},
        **kwargs,
    )  # type: ignore[arg-type]


def v2(
    key: str = "examplebucket/photos/cat.png",
    *,
    method: str = "PUT",
    headers: dict[str, str] | None = None,
) -> str:
    """A path-style SigV2 URL made with presign_v2, expiring an hour after SIGNED_AT."""
    return presign_v2(
        method,
        f"https://s3.amazonaws.com/{key}",
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        expires_at=SIGNED_AT + timedelta(hours=1),
        headers=headers or {},
    )


def boto3_client(region: str = "us-east-1", signature_version: str = "s3v4"):  # type: ignore[no-untyped-def]
    """An offline boto3 S3 client with the example keys (presigning needs no network)."""
    return boto3.client(
        "s3",
        region_name=region,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(signature_version=signature_version, s3={"addressing_style": "virtual"}),
    )


def error_xml(code: str, message: str, *extra: tuple[str, str]) -> str:
    """An AWS-shaped error body (RequestId and HostId last)."""
    from xml.sax.saxutils import escape

    parts = "".join(f"<{n}>{escape(v)}</{n}>" for n, v in extra)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{escape(message)}'
        f"</Message>{parts}<RequestId>4442587FB7D0A2F9</RequestId><HostId>aGVsbG8=</HostId></Error>"
    )


def hexdump(text: str) -> str:
    """AWS's ...Bytes format: lower-case hex, one byte per group, single spaces."""
    return " ".join(f"{b:02x}" for b in text.encode("utf-8"))


def signature_mismatch_body(canonical: str | None, string_to_sign: str, signature: str) -> str:
    """A SignatureDoesNotMatch body as S3 sends it for SigV4 query auth (SigV2 when canonical is None)."""
    extra = [
        ("AWSAccessKeyId", ACCESS_KEY),
        ("StringToSign", string_to_sign),
        ("SignatureProvided", signature),
        ("StringToSignBytes", hexdump(string_to_sign)),
    ]
    if canonical is not None:
        extra += [("CanonicalRequest", canonical), ("CanonicalRequestBytes", hexdump(canonical))]
    return error_xml(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature "
        "you provided. Check your key and signing method.",
        *extra,
    )


@contextmanager
def frozen_botocore(at: datetime = SIGNED_AT) -> Iterator[None]:
    """botocore signs at ``at`` (its presigner reads this clock), then gets its own clock back."""
    previous = followed_clock()
    follow_clock(Clock(at))
    try:
        yield
    finally:
        if previous is not None:
            follow_clock(previous)
        else:
            unfollow_clock()


def sdk_url(
    operation: str = "put_object",
    params: dict[str, object] | None = None,
    *,
    region: str = "us-east-1",
    config: dict[str, object] | None = None,
    expires: int = 3600,
    at: datetime = SIGNED_AT,
    **client_args: object,
) -> str:
    """A URL made by botocore's presigner, with AWS's example keys, signed at ``at``."""
    options = {"signature_version": "s3v4", **(config or {})}
    client = boto3.client(
        "s3",
        region_name=region,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(**options),  # type: ignore[arg-type]
        **client_args,  # type: ignore[arg-type]
    )
    with frozen_botocore(at):
        return str(
            client.generate_presigned_url(
                operation,
                Params={"Bucket": "examplebucket", "Key": "uploads/photo.jpg", **(params or {})},
                ExpiresIn=expires,
            )
        )


#: The query parameters JS SDK v3 >= 3.729 adds to a presigned PutObject (aws/aws-sdk-js-v3#6810).
JS_V3_PUT_QUERY = (
    "X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&x-amz-checksum-crc32=AAAAAA%3D%3D"
    "&x-amz-sdk-checksum-algorithm=CRC32&x-id=PutObject"
)


def js_v3_url(
    key: str = "uploads/photo.jpg", *, region: str = "us-east-1", **kwargs: object
) -> str:
    """A URL shaped like JS SDK v3's getSignedUrl(PutObject): its extra parameters, query sorted."""
    base = f"https://examplebucket.s3.{region}.amazonaws.com"
    url = v4(f"{key}?{JS_V3_PUT_QUERY}", base=base, region=region, **kwargs)  # type: ignore[arg-type]
    head, query = url.split("?")
    return f"{head}?{'&'.join(sorted(query.split('&')))}"
