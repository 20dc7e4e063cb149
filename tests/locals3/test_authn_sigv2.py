"""SigV2 presigned URLs and SigV2 header auth against the strict local S3 (reference §1c)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from presignlab.signing import sigv2, sigv4
from presignlab.signing.presign import presign_v2
from presignlab.signing.sent_request import SentRequest, sigv2_string_to_sign
from support.authn import (
    AK,
    ENDPOINT,
    SECOND,
    SK,
    TEMP_AK,
    auth,
    fails,
    header_signed,
    names,
    s3_client,
    v2_expires,
    v2_header_auth,
    with_param,
)

URL = f"{ENDPOINT}/bucket/key.txt"
EXPIRES_AT = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
NOW = EXPIRES_AT - timedelta(minutes=30)
V2_ELEMENTS = ["AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes"]


def presigned(method: str = "PUT", **kwargs: object) -> str:
    options: dict[str, object] = {"access_key": AK, "secret_key": SK, "expires_at": EXPIRES_AT}
    options.update(kwargs)
    return presign_v2(method, URL, **options)  # type: ignore[arg-type]


def sent(url: str, method: str = "PUT", headers: dict[str, str] | None = None) -> SentRequest:
    return SentRequest.to_url(url, method, list((headers or {}).items()))


# --- fixes to shared modules this relies on ---------------------------------------------------


def test_sha256_hex_hashes_surrogate_escapes_as_raw_bytes() -> None:
    assert sigv4.sha256_hex("a\udcff") == hashlib.sha256(b"a\xff").hexdigest()


def test_signature_v2_signs_surrogate_escapes_as_raw_bytes() -> None:
    digest = hmac.new(SK.encode(), b"PUT\n\n\xff\n1\n/b", hashlib.sha1).digest()
    assert sigv2.signature_v2(SK, "PUT\n\n\udcff\n1\n/b") == base64.b64encode(digest).decode()


# --- positive paths -------------------------------------------------------------------------


def test_boto3_sigv2_put_url_with_hoisted_headers_authenticates() -> None:
    url = s3_client("s3").generate_presigned_url(
        "put_object",
        Params={
            "Bucket": "bucket",
            "Key": "dir/a b+é.txt",
            "ContentType": "text/plain",
            "ACL": "public-read",
            "Metadata": {"foo": "bar"},
        },
        ExpiresIn=600,
    )
    result = auth(sent(url, headers={"Content-Type": "text/plain"}), v2_expires(url) - 600 * SECOND)
    assert result.scheme == "sigv2-query"
    assert result.credential is not None and result.credential.access_key_id == AK
    assert result.payload_hash is None


def test_boto3_sigv2_url_with_session_token_authenticates() -> None:
    url = s3_client("s3", temporary=True).generate_presigned_url(
        "get_object", Params={"Bucket": "bucket", "Key": "k"}, ExpiresIn=60
    )
    result = auth(sent(url, "GET"), v2_expires(url) - 60 * SECOND)
    assert result.credential is not None and result.credential.access_key_id == TEMP_AK


def test_presign_v2_authenticates_until_its_last_second_and_ignores_content_encoding() -> None:
    url = presigned(headers={"Content-Type": "image/png"})
    request = sent(url, headers={"Content-Type": "image/png", "Content-Encoding": "gzip"})
    assert auth(request, EXPIRES_AT).scheme == "sigv2-query"


def test_virtual_hosted_sigv2_needs_the_resource_path() -> None:
    url = presign_v2(
        "GET",
        "http://bucket.s3.localhost:9000/key.txt",
        access_key=AK,
        secret_key=SK,
        expires_at=EXPIRES_AT,
        resource_path="/bucket/key.txt",
    )
    request = sent(url, "GET")
    assert auth(request, NOW, resource_path="/bucket/key.txt").scheme == "sigv2-query"
    assert fails(request, NOW).code == "SignatureDoesNotMatch"


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["Signature", "Expires", "AWSAccessKeyId"])
def test_missing_parameter(missing: str) -> None:
    error = fails(sent(with_param(presigned(), missing, None)), NOW)
    assert (error.status, error.code, error.message, list(error.extra)) == (
        403,
        "AccessDenied",
        "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
        [],
    )


def test_expired_has_no_x_amz_expires() -> None:
    error = fails(sent(presigned()), EXPIRES_AT + SECOND)
    assert (error.status, error.code, error.message) == (403, "AccessDenied", "Request has expired")
    assert list(error.extra) == [
        ("Expires", "2026-03-01T11:00:00Z"),
        ("ServerTime", "2026-03-01T11:00:01Z"),
    ]


def test_expired_and_tampered_is_expired() -> None:
    url = with_param(presigned(), "Signature", "A" * 27 + "=")
    assert fails(sent(url), EXPIRES_AT + timedelta(days=1)).message == "Request has expired"


def test_expires_not_a_number() -> None:
    error = fails(sent(with_param(presigned(), "Expires", "soon")), NOW)
    assert (error.status, error.code) == (403, "AccessDenied")


def test_unknown_key_and_tampered_is_invalid_access_key() -> None:
    url = with_param(presigned(access_key="AKIAUNKNOWNEXAMPLE00"), "Signature", "A" * 27 + "=")
    error = fails(sent(url), NOW)
    assert (error.code, list(error.extra)) == (
        "InvalidAccessKeyId",
        [("AWSAccessKeyId", "AKIAUNKNOWNEXAMPLE00")],
    )


def test_unknown_token_in_query() -> None:
    url = presigned() + "&x-amz-security-token=bogus"
    error = fails(sent(url), NOW)
    assert (error.code, list(error.extra)) == ("InvalidToken", [("Token-0", "bogus")])


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/xml"},
        {"Content-Type": "text/plain", "x-amz-meta-wrong": "1"},  # SigV2: no HeadersNotSigned
        {"Content-Type": "text/plain", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="},
    ],
)
def test_changed_request_is_signature_mismatch_without_canonical_request(
    headers: dict[str, str],
) -> None:
    url = presigned(headers={"Content-Type": "text/plain"})
    request = sent(url, headers=headers)
    error = fails(request, NOW)
    assert (error.status, error.code) == (403, "SignatureDoesNotMatch")
    assert names(error) == V2_ELEMENTS
    values = dict(error.extra)
    assert values["StringToSign"] == sigv2_string_to_sign(
        request, "/bucket/key.txt", str(int(EXPIRES_AT.timestamp()))
    )
    assert values["StringToSignBytes"] == " ".join(
        f"{b:02x}" for b in values["StringToSign"].encode()
    )
    assert values["StringToSignBytes"].startswith("50 55 54 0a")


# --- SigV2 header auth ------------------------------------------------------------------------


def _v2_now(request: SentRequest) -> datetime:
    from email.utils import parsedate_to_datetime

    date = request.header("date")
    assert date is not None
    return parsedate_to_datetime(date)


def test_botocore_hmacv1_header_auth_authenticates() -> None:
    request = header_signed(
        v2_header_auth(),
        "PUT",
        URL,
        {"Content-Type": "text/plain", "x-amz-meta-foo": "bar"},
        b"hello",
    )
    result = auth(request, _v2_now(request))
    assert result.scheme == "sigv2-header"
    assert "x-amz-meta-foo" in result.signed_headers


def test_header_v2_with_x_amz_date_signs_an_empty_date_line() -> None:
    headers = [("x-amz-date", "Sun, 01 Mar 2026 10:30:00 GMT")]
    base = SentRequest("GET", "127.0.0.1:9000", "/bucket/key.txt", (), tuple(headers))
    to_sign = sigv2_string_to_sign(base, "/bucket/key.txt", "")
    assert to_sign.startswith("GET\n\n\n\nx-amz-date:")
    signature = sigv2.signature_v2(SK, to_sign)
    request = SentRequest(
        "GET", base.host, base.path, (), (*headers, ("Authorization", f"AWS {AK}:{signature}"))
    )
    assert auth(request, NOW).scheme == "sigv2-header"


def test_header_v2_bad_signature() -> None:
    request = header_signed(v2_header_auth(), "PUT", URL, {"Content-Type": "text/plain"})
    tampered = SentRequest(
        request.method, request.host, "/bucket/other.txt", request.query, request.headers
    )
    error = fails(tampered, _v2_now(request))
    assert (error.code, names(error)) == ("SignatureDoesNotMatch", V2_ELEMENTS)


def test_header_v2_skewed() -> None:
    request = header_signed(v2_header_auth(), "GET", URL)
    error = fails(request, _v2_now(request) + timedelta(minutes=16))
    assert (error.status, error.code) == (403, "RequestTimeTooSkewed")
    assert names(error) == ["RequestTime", "ServerTime", "MaxAllowedSkewMilliseconds"]
    assert dict(error.extra)["RequestTime"] == request.header("date")


@pytest.mark.parametrize("value", ["AWS", "AWS nocolon", "AWS :sig", f"AWS {AK}:", "AWS é:x"])
def test_header_v2_malformed(value: str) -> None:
    request = SentRequest("GET", "h", "/b/k", (), (("Authorization", value), ("Date", "x")))
    error = fails(request, NOW)
    assert (error.status, error.code) == (400, "InvalidArgument")
    assert error.extra == (("ArgumentName", "Authorization"), ("ArgumentValue", value))


def test_huge_expires_is_far_future_not_a_crash() -> None:
    url = with_param(presigned(), "Expires", "9" * 5000)
    assert fails(sent(url), NOW).code == "SignatureDoesNotMatch"
