"""SigV4 Authorization-header requests (as boto3 sends them) against the strict local S3."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.locals3.authn.header import parse_authorization_v4
from presignlab.locals3.wire.errors import S3Error
from presignlab.signing import sigv4
from presignlab.signing.sent_request import (
    SentRequest,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from support.authn import (
    AK,
    ENDPOINT,
    SECOND,
    SK,
    TEMP_AK,
    auth,
    extra,
    fails,
    header_signed,
    header_time,
    names,
    s3_header_auth,
    v4_header_auth,
)

URL = f"{ENDPOINT}/bucket/dir/a%20b%2B%C3%A9.txt"  # encoded as botocore's serializer does
SIG_ELEMENTS = [
    "AWSAccessKeyId",
    "StringToSign",
    "SignatureProvided",
    "StringToSignBytes",
    "CanonicalRequest",
    "CanonicalRequestBytes",
]
BODY = b"hello world"


def put(headers: dict[str, str] | None = None, **kwargs: object) -> SentRequest:
    return header_signed(
        s3_header_auth(**kwargs),
        "PUT",
        URL,
        {"Content-Type": "text/plain", **(headers or {})},
        BODY,
    )  # type: ignore[arg-type]


def replace_header(request: SentRequest, name: str, value: str | None) -> SentRequest:
    headers = [(n, v) for n, v in request.headers if n.lower() != name.lower()]
    if value is not None:
        headers.append((name, value))
    return SentRequest(request.method, request.host, request.path, request.query, tuple(headers))


# --- positive paths -------------------------------------------------------------------------


def test_boto3_put_with_body_hash_authenticates_and_returns_the_declared_hash() -> None:
    request = put({"x-amz-meta-foo": "bar"})
    result = auth(request, header_time(request))
    assert result.scheme == "sigv4-header"
    assert result.credential is not None and result.credential.access_key_id == AK
    assert result.payload_hash == hashlib.sha256(BODY).hexdigest()
    assert {"host", "x-amz-date", "x-amz-content-sha256", "x-amz-meta-foo"} <= set(
        result.signed_headers
    )


def test_boto3_get_with_session_token_header_authenticates() -> None:
    request = header_signed(s3_header_auth(temporary=True), "GET", URL)
    result = auth(request, header_time(request) + 14 * timedelta(minutes=1))
    assert result.credential is not None and result.credential.access_key_id == TEMP_AK


def test_boto3_over_https_authenticates_with_the_declared_payload() -> None:
    request = header_signed(s3_header_auth(), "PUT", URL.replace("http:", "https:"), {}, BODY)
    declared = request.header("x-amz-content-sha256")
    assert declared is not None
    assert auth(request, header_time(request)).payload_hash == declared


@pytest.mark.parametrize(
    "value", ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"]
)
def test_streaming_value_is_the_payload_line(value: str) -> None:
    amz_date = "20260301T100000Z"
    headers = (
        ("x-amz-content-sha256", value),
        ("x-amz-date", amz_date),
        ("x-amz-decoded-content-length", "11"),
    )
    signed = ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-decoded-content-length"]
    request = SentRequest("PUT", "127.0.0.1:9000", "/bucket/key", (), headers)
    to_sign = sigv4_string_to_sign(
        sigv4_canonical_request(request, signed, value), amz_date, "us-east-1"
    )
    signature = sigv4.signature(sigv4.signing_key(SK, amz_date, "us-east-1"), to_sign)
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={AK}/20260301/us-east-1/s3/aws4_request, "
        f"SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    request = replace_header(request, "Authorization", authorization)
    assert auth(request, header_time(request)).payload_hash == value


@pytest.mark.parametrize("service", ["iam", "sts"])
def test_iam_and_sts_use_the_body_hash_and_skip_the_bucket_region(service: str) -> None:
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    request = header_signed(
        v4_header_auth(service),
        "POST",
        f"{ENDPOINT}/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        body,
    )
    digest = hashlib.sha256(body).hexdigest()
    result = auth(
        request,
        header_time(request),
        bucket_region="eu-west-1",
        service=service,
        body_sha256=digest,
    )
    assert (result.scheme, result.payload_hash) == ("sigv4-header", digest)
    wrong = fails(
        request, header_time(request), service=service, body_sha256=hashlib.sha256(b"x").hexdigest()
    )
    assert wrong.code == "SignatureDoesNotMatch"


# --- malformed header (400 AuthorizationHeaderMalformed) -------------------------------------


def _malformed(authorization: str, message_tail: str) -> None:
    request = replace_header(put(), "Authorization", authorization)
    error = fails(request, header_time(request))
    assert (error.status, error.code) == (400, "AuthorizationHeaderMalformed")
    assert error.message == "The authorization header is malformed; " + message_tail


def test_missing_component() -> None:
    _malformed(
        f"AWS4-HMAC-SHA256 Credential={AK}/20260301/us-east-1/s3/aws4_request, SignedHeaders=host",
        "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
    )


def test_component_without_equals() -> None:
    _malformed(
        "AWS4-HMAC-SHA256 Credential", 'the authorization component "Credential" is malformed.'
    )


def test_malformed_credential() -> None:
    _malformed(
        "AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=00",
        'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    )


def test_wrong_service_and_credential_date() -> None:
    request = put()
    date = header_time(request).strftime("%Y%m%d")
    _malformed(
        f"AWS4-HMAC-SHA256 Credential={AK}/{date}/us-east-1/sqs/aws4_request"
        ", SignedHeaders=host, Signature=0",
        'incorrect service "sqs". This endpoint belongs to "s3".',
    )
    _malformed(
        f"AWS4-HMAC-SHA256 Credential={AK}/19990101/us-east-1/s3/aws4_request"
        ", SignedHeaders=host, Signature=0",
        f'Invalid credential date "19990101". This date is not the same as X-Amz-Date: "{date}".',
    )


def test_wrong_region() -> None:
    request = put()
    error = fails(request, header_time(request), bucket_region="eu-central-1")
    assert (error.status, error.code, error.message) == (
        400,
        "AuthorizationHeaderMalformed",
        "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
    )
    assert list(error.extra) == [("Region", "eu-central-1")]


# --- time -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "offset", [timedelta(minutes=15, seconds=1), -timedelta(minutes=15, seconds=1)]
)
def test_request_time_too_skewed_either_way(offset: timedelta) -> None:
    request = put()
    now = header_time(request) + offset
    error = fails(request, now)
    assert (error.status, error.code, error.message) == (
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
    )
    assert list(error.extra) == [
        ("RequestTime", request.header("x-amz-date")),
        ("ServerTime", now.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("MaxAllowedSkewMilliseconds", "900000"),
    ]


def test_missing_or_unreadable_date() -> None:
    request = put()
    for value in (None, "yesterday"):
        error = fails(replace_header(request, "x-amz-date", value), header_time(request))
        assert (error.status, error.code, error.message) == (
            403,
            "AccessDenied",
            "AWS authentication requires a valid Date or x-amz-date header",
        )


# --- keys, unsigned headers, signature -----------------------------------------------------------


def test_unknown_token_header() -> None:
    request = replace_header(put(), "x-amz-security-token", "garbage")
    assert extra(fails(request, header_time(request))) == {"Token-0": "garbage"}


def test_headers_not_signed_before_signature() -> None:
    request = put()
    request = replace_header(request, "x-amz-meta-late", "1")
    request = replace_header(request, "Content-Type", "text/xml")
    error = fails(request, header_time(request))
    assert (error.code, list(error.extra)) == (
        "AccessDenied",
        [("HeadersNotSigned", "x-amz-meta-late")],
    )


def test_changed_body_hash_is_signature_mismatch_with_canonical_request() -> None:
    request = put()
    request = replace_header(request, "x-amz-content-sha256", hashlib.sha256(b"other").hexdigest())
    error = fails(request, header_time(request))
    assert (error.status, error.code, names(error)) == (403, "SignatureDoesNotMatch", SIG_ELEMENTS)
    canonical = extra(error)["CanonicalRequest"]
    assert canonical.startswith("PUT\n/bucket/dir/a%20b%2B%C3%A9.txt\n\n")
    assert canonical.endswith("\n" + hashlib.sha256(b"other").hexdigest())


def test_signed_content_sha256_missing_is_403() -> None:
    request = replace_header(put(), "x-amz-content-sha256", None)
    error = fails(request, header_time(request))
    assert (error.status, error.code) == (403, "SignatureDoesNotMatch")
    assert extra(error)["CanonicalRequest"].endswith("\nUNSIGNED-PAYLOAD")


def test_invalid_content_sha256_value() -> None:
    request = replace_header(put(), "x-amz-content-sha256", "nothex")
    error = fails(request, header_time(request))
    assert (error.status, error.code) == (400, "InvalidArgument")
    assert error.extra == (("ArgumentName", "x-amz-content-sha256"), ("ArgumentValue", "nothex"))


# --- unreadable input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Bearer abc", "", "AWS4-ECDSA-P256-SHA256 Credential=x", "\udcff\udcfe"]
)
def test_unsupported_authorization_type(value: str) -> None:
    request = SentRequest("GET", "h", "/b/k", (), (("Authorization", value),))
    error = fails(request, header_time(put()))
    assert (error.status, error.code, error.message) == (
        400,
        "InvalidArgument",
        "Unsupported Authorization Type",
    )


def test_non_utf8_credential_is_malformed() -> None:
    _malformed(
        "AWS4-HMAC-SHA256 Credential=\udcff/20260301/us-east-1/s3/aws4_request"
        ", SignedHeaders=host, Signature=0",
        'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    )


def test_parse_authorization_v4_gives_the_seed_signature() -> None:
    request = put()
    value = request.header("authorization")
    assert value is not None
    parsed = parse_authorization_v4(value)
    assert parsed.credential.startswith(AK + "/") and len(parsed.signature) == 64


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(["\udcff", "=", ",", "/", " ", ";"]),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(
    authorization=_TEXT,
    date=_TEXT,
    token=_TEXT,
    query=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "X-Amz-Algorithm",
                    "X-Amz-Credential",
                    "X-Amz-Date",
                    "X-Amz-Expires",
                    "X-Amz-SignedHeaders",
                    "X-Amz-Signature",
                    "Signature",
                    "Expires",
                    "AWSAccessKeyId",
                    "x-amz-security-token",
                ]
            ),
            _TEXT,
        ),
        max_size=7,
    ),
    use_header=st.booleans(),
)
def test_garbage_never_escapes_as_anything_but_s3error(
    authorization: str, date: str, token: str, query: list[tuple[str, str]], use_header: bool
) -> None:
    headers = [("x-amz-date", date), ("x-amz-security-token", token), ("Content-Type", date)]
    if use_header:
        headers.append(("Authorization", "AWS4-HMAC-SHA256 " + authorization))
    request = SentRequest("PUT", "h\udcff", "/b/\udcff", tuple(query), tuple(headers))
    try:
        auth(request, header_time(put()) + SECOND)
    except S3Error as error:
        assert 400 <= error.status < 500
        assert "wJalr" not in str(error.extra)
