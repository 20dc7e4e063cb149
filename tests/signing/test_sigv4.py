"""The SigV4 steps against AWS's published presigned-URL example and the S3 encoding rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from presignlab.signing import sigv4
from presignlab.signing.presign import presign_v4
from presignlab.signing.sent_request import SentRequest, sigv4_canonical_request

# AWS S3 API reference, "Authenticating Requests: Using Query Parameters (AWS Signature
# Version 4)": GET examplebucket/test.txt on 2013-05-24, expiring after 86400 seconds.
EXAMPLE_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EXAMPLE_CANONICAL_REQUEST = (
    "GET\n/test.txt\n"
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3"
    "%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
    "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
)
EXAMPLE_STRING_TO_SIGN = (
    "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
    "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
)
EXAMPLE_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"


def test_step_by_step_reproduces_the_published_example() -> None:
    query = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
        ("X-Amz-Date", "20130524T000000Z"),
        ("X-Amz-Expires", "86400"),
        ("X-Amz-SignedHeaders", "host"),
    ]
    canonical = sigv4.canonical_request(
        "GET",
        sigv4.canonical_uri("/test.txt"),
        sigv4.canonical_query_string(query),
        sigv4.canonical_headers({"Host": "examplebucket.s3.amazonaws.com"}, ["host"]),
        sigv4.signed_headers(["host"]),
        sigv4.payload_hash(),
    )
    assert canonical == EXAMPLE_CANONICAL_REQUEST
    scope = sigv4.credential_scope("20130524", "us-east-1", "s3")
    to_sign = sigv4.string_to_sign("20130524T000000Z", scope, canonical)
    assert to_sign == EXAMPLE_STRING_TO_SIGN
    key = sigv4.signing_key(EXAMPLE_SECRET_KEY, "20130524", "us-east-1", "s3")
    assert sigv4.signature(key, to_sign) == EXAMPLE_SIGNATURE


def test_presign_v4_reproduces_the_published_url() -> None:
    url = presign_v4(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt",
        access_key=EXAMPLE_ACCESS_KEY,
        secret_key=EXAMPLE_SECRET_KEY,
        region="us-east-1",
        now=datetime(2013, 5, 24, tzinfo=UTC),
        expires=86400,
    )
    assert url.endswith(f"&X-Amz-Signature={EXAMPLE_SIGNATURE}")
    assert sigv4_canonical_request(SentRequest.to_url(url), ["host"]) == EXAMPLE_CANONICAL_REQUEST


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a b/c+d~e=f&g.txt", "/a%20b/c%2Bd~e%3Df%26g.txt"),
        ("/dir//a b+~%é.txt", "/dir//a%20b%2B~%25%C3%A9.txt"),
        ("/b/./x/../y", "/b/./x/../y"),
        ("", "/"),
    ],
)
def test_canonical_uri_encodes_once_and_keeps_the_path(path: str, expected: str) -> None:
    assert sigv4.canonical_uri(path) == expected


def test_canonical_query_string_sorts_encoded_names_and_drops_the_signature() -> None:
    query = [("b", "x/y"), ("X-Amz-Signature", "abc"), ("a", ""), ("X-Amz-SignedHeaders", "a;b")]
    assert sigv4.canonical_query_string(query) == "X-Amz-SignedHeaders=a%3Bb&a=&b=x%2Fy"


def test_canonical_headers_lowercases_trims_and_collapses_spaces() -> None:
    headers = [
        ("Content-Type", "  text/plain  "),
        ("X-Amz-Meta-A", "a   b\t c"),
        ("x-amz-meta-a", "d"),
    ]
    block = sigv4.canonical_headers(headers, ["content-type", "x-amz-meta-a", "host"])
    assert block == "content-type:text/plain\nhost:\nx-amz-meta-a:a b c,d\n"


def test_signed_headers_is_sorted_unique_lowercase() -> None:
    assert (
        sigv4.signed_headers(["Host", "x-amz-acl", "Content-Type", "host"])
        == "content-type;host;x-amz-acl"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", True),
        ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", True),
        ("UNSIGNED-PAYLOAD", False),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", False),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", False),
        (None, False),
    ],
)
def test_is_sha256_hex(value: str | None, expected: bool) -> None:
    assert sigv4.is_sha256_hex(value) is expected
