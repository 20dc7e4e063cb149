"""SigV4 presigned URLs against the strict local S3's authentication (reference §1a, §1b)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from presignlab.locals3.authn import AuthResult, authenticate
from presignlab.signing.presign import presign_v4
from presignlab.signing.sent_request import SentRequest, sigv4_canonical_request
from support.authn import (
    AK,
    ENDPOINT,
    INACTIVE_AK,
    OTHER_AK,
    OTHER_SK,
    SECOND,
    SK,
    STORE,
    TEMP_AK,
    TEMP_SK,
    TOKEN,
    TOKEN_EXPIRES,
    auth,
    extra,
    fails,
    names,
    s3_client,
    signed_at,
    with_param,
)

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
URL = f"{ENDPOINT}/bucket/key.txt"
SIG_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)
SIG_ELEMENTS = [
    "AWSAccessKeyId",
    "StringToSign",
    "SignatureProvided",
    "StringToSignBytes",
    "CanonicalRequest",
    "CanonicalRequestBytes",
]


def presigned(method: str = "PUT", url: str = URL, **kwargs: object) -> str:
    options: dict[str, object] = {
        "access_key": AK,
        "secret_key": SK,
        "region": "us-east-1",
        "now": NOW,
        "expires": 300,
    }
    options.update(kwargs)
    return presign_v4(method, url, **options)  # type: ignore[arg-type]


def sent(url: str, method: str = "PUT", headers: dict[str, str] | None = None) -> SentRequest:
    return SentRequest.to_url(url, method, list((headers or {}).items()))


def boto_put(**params: object) -> str:
    return s3_client().generate_presigned_url(
        "put_object", Params={"Bucket": "bucket", "Key": "key.txt", **params}, ExpiresIn=300
    )


# --- positive paths -------------------------------------------------------------------------


def test_boto3_put_url_with_signed_headers_authenticates() -> None:
    url = boto_put(ContentType="text/plain", ACL="private", Metadata={"foo": "bar"})
    headers = {"Content-Type": "text/plain", "x-amz-acl": "private", "x-amz-meta-foo": "bar"}
    result = auth(sent(url, headers=headers), signed_at(url) + 10 * SECOND)
    assert result.scheme == "sigv4-query"
    assert result.credential is not None and result.credential.access_key_id == AK
    assert result.signed_headers == ("content-type", "host", "x-amz-acl", "x-amz-meta-foo")
    assert result.payload_hash is None


@pytest.mark.parametrize("style", ["path", "virtual"])
@pytest.mark.parametrize("key", ["key.txt", "dir//a b+~%é.txt", "a/./b/../c", "x!*'():@$&=;,"])
def test_boto3_get_urls_authenticate(style: str, key: str) -> None:
    url = s3_client(style=style).generate_presigned_url(
        "get_object", Params={"Bucket": "bucket", "Key": key}, ExpiresIn=60
    )
    assert auth(sent(url, "GET"), signed_at(url)).scheme == "sigv4-query"


def test_boto3_url_with_session_token_authenticates() -> None:
    url = s3_client(temporary=True).generate_presigned_url(
        "put_object", Params={"Bucket": "bucket", "Key": "key.txt"}, ExpiresIn=300
    )
    result = auth(sent(url), signed_at(url))
    assert result.credential is not None and result.credential.access_key_id == TEMP_AK


def test_presign_v4_with_explicit_clock_authenticates_until_the_last_second() -> None:
    url = presigned(headers={"Content-Type": "image/png"})
    request = sent(url, headers={"Content-Type": "image/png"})
    assert auth(request, NOW + 300 * SECOND).scheme == "sigv4-query"
    assert auth(request, NOW - timedelta(minutes=15)).scheme == "sigv4-query"


def test_no_authentication_is_anonymous() -> None:
    result = auth(sent(URL + "?versionId=3", "GET"), NOW)
    assert result == AuthResult(None, "anonymous", (), None)


def test_a_signed_header_may_come_as_a_query_parameter() -> None:
    url = presigned(
        url=URL + "?x-amz-checksum-crc32=AAAAAA%3D%3D", headers={"x-amz-checksum-crc32": "AAAAAA=="}
    )
    assert auth(sent(url), NOW).scheme == "sigv4-query"
    assert (
        auth(sent(url, headers={"x-amz-checksum-crc32": "AAAAAA=="}), NOW).scheme == "sigv4-query"
    )
    changed = url.replace("AAAAAA%3D%3D", "BBBBBB%3D%3D", 1)
    assert fails(sent(changed), NOW).code == "SignatureDoesNotMatch"


def test_unsigned_content_sha256_and_unsigned_content_type_are_accepted() -> None:
    """Rows 15a and 15b."""
    headers = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD", "Content-Type": "text/xml"}
    assert auth(sent(presigned(), headers=headers), NOW).scheme == "sigv4-query"


# --- rows 1-11: parameter presence and format (400) ------------------------------------------


def _query_error(url: str, message: str, now: datetime = NOW) -> None:
    error = fails(sent(url), now)
    assert (error.status, error.code, error.message, list(error.extra)) == (
        400,
        "AuthorizationQueryParametersError",
        message,
        [],
    )


def test_row1_missing_parameter() -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Date", None),
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
        "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    )


def test_row11_algorithm() -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Algorithm", "AWS4-HMAC-SHA1"),
        'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    )


@pytest.mark.parametrize(
    "credential",
    [
        f"{AK}%2F20260301%2Fus-east-1%2Fs3%2Faws4_request",  # double-encoded slashes
        f"{AK}/20260301/us-east-1/s3",
        "/20260301/us-east-1/s3/aws4_request",
        f"{AK}/20260301/us-east-1/s3/aws4_request/extra",
        f"{AK}é/20260301/us-east-1/s3/aws4_request",
    ],
)
def test_row2_malformed_credential(credential: str) -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Credential", credential),
        "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
        '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    )


def test_row2_double_encoded_credential_as_sent_on_the_wire() -> None:
    url = presigned().replace("%2F", "%252F")
    assert "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%252F20260301" in url
    assert fails(sent(url), NOW).message.endswith(
        'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
    )


def test_row4_wrong_service() -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Credential", f"{AK}/20260301/us-east-1/s4/aws4_request"),
        'Error parsing the X-Amz-Credential parameter; incorrect service "s4". '
        'This endpoint belongs to "s3".',
    )


def test_row5_wrong_terminator() -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Credential", f"{AK}/20260301/us-east-1/s3/aws5_request"),
        'Error parsing the X-Amz-Credential parameter; incorrect terminal "aws5_request". '
        'This endpoint uses "aws4_request".',
    )


def test_row6_credential_date_differs_from_x_amz_date() -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Date", "20260302T100000Z"),
        'Invalid credential date "20260301". This date is not the same as X-Amz-Date: "20260302".',
    )


@pytest.mark.parametrize(
    "value", ["2026-03-01T10:00:00Z", "20260301T100000", "20261301T100000Z", "é"]
)
def test_row7_malformed_x_amz_date(value: str) -> None:
    _query_error(
        with_param(presigned(), "X-Amz-Date", value),
        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "604801",
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds",
        ),
        ("abc", "X-Amz-Expires should be a number"),
        ("1.5", "X-Amz-Expires should be a number"),
        ("-1", "X-Amz-Expires must be non-negative"),
        (
            "9" * 5000,
            "X-Amz-Expires must be less than a week (in seconds); that is, the given "
            "X-Amz-Expires must be less than 604800 seconds",
        ),
        ("-" + "9" * 5000, "X-Amz-Expires must be non-negative"),
    ],
)
def test_rows8_to_10_x_amz_expires(value: str, message: str) -> None:
    _query_error(with_param(presigned(), "X-Amz-Expires", value), message)


def test_expires_of_exactly_a_week_is_accepted() -> None:
    assert auth(sent(presigned(expires=604800)), NOW + timedelta(days=6)).scheme == "sigv4-query"


def test_row3_wrong_region_names_the_expected_one() -> None:
    error = fails(sent(presigned()), NOW, bucket_region="eu-central-1")
    assert (error.status, error.code) == (400, "AuthorizationQueryParametersError")
    assert error.message == (
        "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; "
        "expecting 'eu-central-1'"
    )
    assert list(error.extra) == [("Region", "eu-central-1")]


def test_region_is_not_checked_without_a_bucket() -> None:
    assert (
        auth(sent(presigned(region="eu-west-3")), NOW, bucket_region=None).scheme == "sigv4-query"
    )


def test_format_errors_come_before_the_region() -> None:
    url = with_param(presigned(), "X-Amz-Expires", "x")
    assert (
        fails(sent(url), NOW, bucket_region="eu-central-1").message
        == "X-Amz-Expires should be a number"
    )


# --- rows 12-13: validity window, before the signature ---------------------------------------


def test_row12_expired() -> None:
    error = fails(sent(presigned()), NOW + 301 * SECOND)
    assert (error.status, error.code, error.message) == (403, "AccessDenied", "Request has expired")
    assert list(error.extra) == [
        ("X-Amz-Expires", "300"),
        ("Expires", "2026-03-01T10:05:00Z"),
        ("ServerTime", "2026-03-01T10:05:01Z"),
    ]


def test_expired_and_tampered_is_expired() -> None:
    url = with_param(presigned(), "X-Amz-Signature", "0" * 64)
    assert fails(sent(url, "GET"), NOW + timedelta(hours=1)).message == "Request has expired"


def test_region_comes_before_expiry() -> None:
    error = fails(sent(presigned()), NOW + timedelta(hours=1), bucket_region="eu-west-1")
    assert error.code == "AuthorizationQueryParametersError"


def test_row13_not_yet_valid() -> None:
    now = NOW - timedelta(minutes=15) - SECOND
    error = fails(sent(presigned()), now)
    assert (error.status, error.code, error.message) == (
        403,
        "AccessDenied",
        "Request is not yet valid",
    )
    assert list(error.extra) == [
        ("X-Amz-Date", str(int(NOW.timestamp()) * 1000)),
        ("Expires", "2026-03-01T10:05:00Z"),
        ("ServerTime", "2026-03-01T09:44:59Z"),
    ]


# --- rows 16-19: access key and session token -------------------------------------------------


@pytest.mark.parametrize("key", ["AKIAUNKNOWNEXAMPLE00", INACTIVE_AK])
def test_row16_unknown_or_inactive_access_key(key: str) -> None:
    error = fails(sent(presigned(access_key=key)), NOW)
    assert (error.status, error.code, error.message) == (
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
    )
    assert list(error.extra) == [("AWSAccessKeyId", key)]


def test_unknown_key_and_tampered_is_invalid_access_key() -> None:
    url = with_param(presigned(access_key="AKIAUNKNOWNEXAMPLE00"), "X-Amz-Signature", "f" * 64)
    assert fails(sent(url), NOW).code == "InvalidAccessKeyId"


def test_row17_unknown_token_is_echoed() -> None:
    url = presigned(access_key=TEMP_AK, secret_key=TEMP_SK, session_token="not-a-token")
    error = fails(sent(url), NOW)
    assert (error.status, error.code, error.message) == (
        400,
        "InvalidToken",
        "The provided token is malformed or otherwise invalid.",
    )
    assert list(error.extra) == [("Token-0", "not-a-token")]


def test_token_of_another_key_is_invalid_and_not_echoed() -> None:
    error = fails(sent(presigned(session_token=TOKEN)), NOW)
    assert (error.status, error.code, list(error.extra)) == (400, "InvalidToken", [])
    assert TOKEN not in str(error)


def test_row18_expired_session_token() -> None:
    url = presigned(
        access_key=TEMP_AK,
        secret_key=TEMP_SK,
        session_token=TOKEN,
        now=TOKEN_EXPIRES - timedelta(minutes=1),
        expires=3600,
    )
    error = fails(sent(url), TOKEN_EXPIRES + SECOND)
    assert (error.status, error.code, error.message, list(error.extra)) == (
        400,
        "ExpiredToken",
        "The provided token has expired.",
        [],
    )


def test_row19_temporary_key_without_its_token() -> None:
    error = fails(sent(presigned(access_key=TEMP_AK, secret_key=TEMP_SK)), NOW)
    assert (error.code, list(error.extra)) == ("InvalidAccessKeyId", [("AWSAccessKeyId", TEMP_AK)])


# --- row 15: unsigned x-amz-* headers ----------------------------------------------------------


def test_row15_headers_not_signed_in_the_order_sent() -> None:
    url = presigned(headers={"Content-Type": "text/plain"})
    headers = {
        "X-Amz-Meta-Wrong": "1",
        "Content-Type": "text/xml",
        "x-amz-date": "20260301T100000Z",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    }
    error = fails(sent(url, headers=headers), NOW)
    assert (error.status, error.code, error.message) == (
        403,
        "AccessDenied",
        "There were headers present in the request which were not signed",
    )
    assert list(error.extra) == [("HeadersNotSigned", "x-amz-meta-wrong, x-amz-date")]


def test_hoisted_header_sent_again_unsigned_is_not_signed() -> None:
    url = presigned(url=URL + "?x-amz-expires=60")
    error = fails(sent(url, headers={"x-amz-expires": "60"}), NOW)
    assert extra(error) == {"HeadersNotSigned": "x-amz-expires"}


# --- rows 14, 25, 27: the signature ------------------------------------------------------------


def test_row14_tampered_signature_echoes_what_s3_computed() -> None:
    url = with_param(presigned(), "X-Amz-Signature", "0" * 64)
    request = sent(url)
    error = fails(request, NOW)
    assert (error.status, error.code, error.message) == (403, "SignatureDoesNotMatch", SIG_MESSAGE)
    assert names(error) == SIG_ELEMENTS
    values = extra(error)
    canonical = sigv4_canonical_request(request, ["host"])
    assert values["AWSAccessKeyId"] == AK
    assert values["SignatureProvided"] == "0" * 64
    assert values["CanonicalRequest"] == canonical
    assert values["StringToSign"].startswith(
        "AWS4-HMAC-SHA256\n20260301T100000Z\n20260301/us-east-1/s3/aws4_request\n"
    )
    assert values["StringToSignBytes"].startswith(
        "41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a 32"
    )
    assert values["CanonicalRequestBytes"].startswith("50 55 54 0a 2f 62")
    assert values["CanonicalRequestBytes"] == " ".join(f"{b:02x}" for b in canonical.encode())
    assert SK not in str(error.extra)


@pytest.mark.parametrize(
    ("method", "headers", "url_change"),
    [
        ("GET", {"Content-Type": "text/plain"}, None),
        ("PUT", {"Content-Type": "text/xml"}, None),
        ("PUT", {}, None),  # a signed header missing from the request
        ("PUT", {"Content-Type": "text/plain"}, ("/bucket/key.txt", "/bucket/key2.txt")),
        (
            "PUT",
            {"Content-Type": "text/plain"},
            ("X-Amz-Algorithm", "x-id=PutObject&X-Amz-Algorithm"),
        ),
    ],
)
def test_row14_changed_request(
    method: str, headers: dict[str, str], url_change: tuple[str, str] | None
) -> None:
    url = presigned(headers={"Content-Type": "text/plain"})
    if url_change:
        url = url.replace(*url_change)
    assert fails(sent(url, method, headers), NOW).code == "SignatureDoesNotMatch"


def test_wrong_secret_key() -> None:
    error = fails(sent(presigned(secret_key="wrong")), NOW)
    assert error.code == "SignatureDoesNotMatch"


def test_row25_content_length_differs() -> None:
    url = presigned(headers={"Content-Length": "5"})
    assert auth(sent(url, headers={"Content-Length": "5"}), NOW).scheme == "sigv4-query"
    assert fails(sent(url, headers={"Content-Length": "6"}), NOW).code == "SignatureDoesNotMatch"


def test_row27_same_header_in_query_and_header_with_different_values() -> None:
    url = presigned(
        url=URL + "?x-amz-request-payer=requester", headers={"x-amz-request-payer": "requester"}
    )
    assert (
        auth(sent(url, headers={"x-amz-request-payer": "requester"}), NOW).scheme == "sigv4-query"
    )
    assert (
        fails(sent(url, headers={"x-amz-request-payer": "other"}), NOW).code
        == "SignatureDoesNotMatch"
    )


def test_signed_content_sha256_missing_from_the_request_is_403() -> None:
    url = presigned(headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    error = fails(sent(url), NOW)
    assert (error.status, error.code) == (403, "SignatureDoesNotMatch")


def test_headers_not_signed_wins_over_signature() -> None:
    url = with_param(presigned(), "X-Amz-Signature", "0" * 64)
    assert fails(sent(url, headers={"x-amz-meta-a": "1"}), NOW).extra == (
        ("HeadersNotSigned", "x-amz-meta-a"),
    )


def test_non_utf8_signed_header_value_is_a_mismatch_not_a_crash() -> None:
    url = presigned(headers={"x-amz-meta-a": "ok"})
    error = fails(sent(url, headers={"x-amz-meta-a": "\udcff"}), NOW)
    assert error.code == "SignatureDoesNotMatch"
    assert "78 2d 61 6d 7a 2d 6d 65 74 61 2d 61 3a ff 0a" in extra(error)["CanonicalRequestBytes"]


def test_signature_is_compared_whatever_its_text() -> None:
    url = presigned().rsplit("=", 1)[0] + "=%C3%A9%FF"
    assert fails(sent(url), NOW).code == "SignatureDoesNotMatch"


# --- which mechanism ------------------------------------------------------------------------


def test_two_mechanisms_are_refused() -> None:
    request = sent(presigned(), headers={"Authorization": "AWS AKID:sig"})
    error = fails(request, NOW)
    assert (error.status, error.code) == (400, "InvalidArgument")
    assert error.message.startswith("Only one auth mechanism allowed;")


def test_iam_query_auth_skips_the_bucket_region() -> None:
    url = presigned("GET", f"{ENDPOINT}/?Action=ListUsers&Version=2010-05-08", service="iam")
    request = sent(url, "GET")
    result = authenticate(request, bucket_region="eu-west-1", store=STORE, now=NOW, service="iam")
    assert result.scheme == "sigv4-query"
    assert fails(request, NOW).message.startswith(
        'Error parsing the X-Amz-Credential parameter; incorrect service "iam"'
    )


def test_other_key_is_known() -> None:
    assert auth(sent(presigned(access_key=OTHER_AK, secret_key=OTHER_SK)), NOW)


def test_dates_at_the_end_of_time_do_not_crash() -> None:
    url = presigned(now=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    error = fails(sent(url), NOW)
    assert (error.message, extra(error)["Expires"]) == (
        "Request is not yet valid",
        "9999-12-31T23:59:59Z",
    )
