"""One test per finding code, each built from a real broken request.

URLs come from presign_v4 / presign_v2 at a fixed instant and from boto3's
generate_presigned_url, all with AWS's example keys; error bodies are shaped like the ones
in the reference (aws-s3-auth-behaviour.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from test_new_codes import NEW_CASES

from presignlab.diagnosis import CODES, Diagnosis, diagnose
from presignlab.diagnosis.signature.candidates import AWS_REGIONS
from support.diagnosis import (
    ACCESS_KEY,
    SECRET_KEY,
    SIGNED_AT,
    SOON,
    boto3_client,
    error_xml,
    signature_mismatch_body,
    v2,
    v4,
)

PNG = {"Content-Type": "image/png"}


def _top(result: Diagnosis, code: str, confidence: str | None = None) -> None:
    assert result.verdict == "problems", result.to_dict()
    assert result.codes[0] == code, result.codes
    if confidence:
        assert result.findings[0].to_dict()["confidence"] == confidence


# --- structural, without a secret ---------------------------------------------------------


def case_expired() -> None:
    url = boto3_client().generate_presigned_url(
        "put_object", Params={"Bucket": "examplebucket", "Key": "a.txt"}, ExpiresIn=60
    )
    result = diagnose(url, now=SIGNED_AT.replace(year=2099))
    _top(result, "expired", "confirmed")
    # without now, the ServerTime of S3's error body is when the request was sent
    server_time = (SIGNED_AT + timedelta(seconds=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = (
        "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
        "<X-Amz-Expires>60</X-Amz-Expires><Expires>2026-03-01T12:01:00Z</Expires>"
        f"<ServerTime>{server_time}</ServerTime></Error>"
    )
    pasted = diagnose(v4(expires=60), error_xml=body)
    _top(pasted, "expired", "confirmed")
    assert f"30 seconds before {server_time}" in pasted.findings[0].message


def case_not_yet_valid() -> None:
    _top(diagnose(v4(), now=SIGNED_AT - timedelta(hours=1)), "not-yet-valid")
    assert diagnose(v4(), now=SIGNED_AT - timedelta(minutes=10)).verdict == "ok"  # within the skew


def case_expires_too_long() -> None:
    _top(diagnose(v4(expires=604801), now=SOON), "expires-too-long")
    assert diagnose(v4(expires=604800), now=SOON).verdict == "ok"


def case_sigv2_url() -> None:
    url = boto3_client(signature_version="s3").generate_presigned_url(
        "put_object", Params={"Bucket": "examplebucket", "Key": "a.txt"}, ExpiresIn=3600
    )
    assert "AWSAccessKeyId=" in url
    result = diagnose(url, secret_key=SECRET_KEY)
    assert result.codes == ["sigv2-url"] and result.signature_matches is True
    assert diagnose(v2(), now=SOON, secret_key=SECRET_KEY).codes == ["sigv2-url"]


def case_missing_auth_parameter() -> None:
    url = v4()
    broken = "&".join(p for p in url.split("&") if not p.startswith("X-Amz-Date="))
    _top(diagnose(broken, now=SOON), "missing-auth-parameter")
    _top(
        diagnose(url.replace("X-Amz-Expires=3600", "X-Amz-Expires=soon"), now=SOON),
        "missing-auth-parameter",
    )


def case_malformed_credential() -> None:
    url = v4().replace("%2F", "%252F")  # double-encoded credential (reference row 2)
    _top(diagnose(url, now=SOON), "malformed-credential")


def case_region_mismatch() -> None:
    # signed for us-east-1 but sent to an eu-central-1 host
    url = v4(base="https://examplebucket.s3.eu-central-1.amazonaws.com")
    assert "region-mismatch" in diagnose(url, now=SOON).codes
    body = error_xml(
        "AuthorizationQueryParametersError",
        "Error parsing the X-Amz-Credential parameter; the region "
        "'us-east-1' is wrong; expecting 'eu-central-1'",
        ("Region", "eu-central-1"),
    )
    _top(diagnose(v4(), error_xml=body, now=SOON), "region-mismatch", "reported-by-s3")
    # the credential scope edited after signing: the search finds the region that signed
    edited = v4(region="eu-west-3").replace("eu-west-3", "us-east-1")
    _top(diagnose(edited, secret_key=SECRET_KEY, now=SOON), "region-mismatch", "confirmed")


# --- error-body codes ---------------------------------------------------------------------


def case_unknown_access_key() -> None:
    body = error_xml(
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        ("AWSAccessKeyId", "ASIAEXAMPLE"),
    )
    url = v4().replace(ACCESS_KEY, "ASIAEXAMPLEEXAMPLE12")
    result = diagnose(url, error_xml=body, now=SOON)
    _top(result, "unknown-access-key", "reported-by-s3")
    assert "X-Amz-Security-Token" in result.findings[0].message


def case_invalid_token() -> None:
    body = error_xml(
        "InvalidToken",
        "The provided token is malformed or otherwise invalid.",
        ("Token-0", "FQoG..."),
    )
    _top(diagnose(v4(session_token="FQoG/bad"), error_xml=body, now=SOON), "invalid-token")


def case_token_expired() -> None:
    body = error_xml("ExpiredToken", "The provided token has expired.", ("Token-0", "FQoG..."))
    _top(diagnose(v4(session_token="FQoG"), error_xml=body, now=SOON), "token-expired")


def case_acl_not_supported() -> None:
    url = v4(headers={"x-amz-acl": "public-read"})
    body = error_xml("AccessControlListNotSupported", "The bucket does not allow ACLs")
    _top(
        diagnose(url, headers={"x-amz-acl": "public-read"}, error_xml=body, now=SOON),
        "acl-not-supported",
    )


def case_access_denied_policy() -> None:
    result = diagnose(
        v4(), error_xml=error_xml("AccessDenied", "Access Denied"), now=SOON, secret_key=SECRET_KEY
    )
    _top(result, "access-denied-policy")
    assert result.signature_matches is True


def case_cors_preflight_denied() -> None:
    body = error_xml(
        "AccessForbidden",
        "CORSResponse: This CORS request is not allowed. This is usually because the "
        "evalution of Origin, request method / Access-Control-Request-Method or "
        "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        ("Method", "PUT"),
        ("ResourceType", "OBJECT"),
    )
    _top(diagnose(v4(), method="OPTIONS", error_xml=body, now=SOON), "cors-preflight-denied")


def case_post_policy_violation() -> None:
    body = error_xml("AccessDenied", "Invalid according to Policy: Policy expired.")
    _top(diagnose(v4(), method="POST", error_xml=body, now=SOON), "post-policy-violation")
    too_big = error_xml(
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        ("ProposedSize", "12"),
        ("MaxSizeAllowed", "10"),
    )
    _top(diagnose(v4(), method="POST", error_xml=too_big, now=SOON), "post-policy-violation")


# --- the request against the URL ------------------------------------------------------------


def case_unsigned_amz_header() -> None:
    _top(
        diagnose(
            v4(),
            headers={"x-amz-meta-wrong": "1", "x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
            now=SOON,
        ),
        "unsigned-amz-header",
    )
    body = error_xml(
        "AccessDenied",
        "There were headers present in the request which were not signed",
        ("HeadersNotSigned", "x-amz-meta-wrong"),
    )
    result = diagnose(v4(), headers={"x-amz-meta-wrong": "1"}, error_xml=body, now=SOON)
    assert result.codes == ["unsigned-amz-header"]
    # SigV2 signs every x-amz-* header, so S3 says SignatureDoesNotMatch; the search finds the extra one
    url = boto3_client(signature_version="s3").generate_presigned_url(
        "put_object",
        Params={"Bucket": "examplebucket", "Key": "a.txt", "ACL": "private"},
        ExpiresIn=3600,
    )
    sent = {"x-amz-meta-wrong": "1"}
    assert diagnose(url, headers=sent, secret_key=SECRET_KEY).codes == [
        "unsigned-amz-header",
        "sigv2-url",
    ]


def case_method_mismatch() -> None:
    url = boto3_client().generate_presigned_url(
        "put_object", Params={"Bucket": "examplebucket", "Key": "a.txt"}, ExpiresIn=3600
    )
    _top(diagnose(url, method="GET", secret_key=SECRET_KEY), "method-mismatch", "confirmed")
    assert diagnose(url, method="PUT", secret_key=SECRET_KEY).verdict == "ok"


def case_signed_header_missing() -> None:
    url = boto3_client().generate_presigned_url(
        "put_object",
        Params={"Bucket": "examplebucket", "Key": "a.txt", "ContentType": "image/jpeg"},
        ExpiresIn=3600,
    )
    result = diagnose(url, secret_key=SECRET_KEY)
    _top(result, "signed-header-missing", "confirmed")
    assert "content-type: image/jpeg" in result.findings[0].message
    # x-amz-meta-foo signed, not sent, no secret: suspected from the URL alone
    _top(
        diagnose(v4(headers={"x-amz-meta-foo": "bar"}), now=SOON),
        "signed-header-missing",
        "suspected",
    )
    # with the secret the search cannot guess the value "bar", yet the missing header stays first
    meta = diagnose(v4(headers={"x-amz-meta-foo": "bar"}), secret_key=SECRET_KEY, now=SOON)
    assert meta.codes == ["signed-header-missing", "signature-mismatch-unexplained"]


def case_signed_header_value_mismatch() -> None:
    url = boto3_client().generate_presigned_url(
        "put_object",
        Params={"Bucket": "examplebucket", "Key": "a.png", "ContentType": "image/png"},
        ExpiresIn=3600,
    )
    sent = {"Content-Type": "multipart/form-data"}
    result = diagnose(url, headers=sent, secret_key=SECRET_KEY)
    _top(result, "signed-header-value-mismatch", "confirmed")
    assert (
        result.comparison is not None
        and result.comparison.by_component("header")[0].name == "content-type"
    )


def case_query_tampered() -> None:
    url = v4(headers=PNG) + "&x-id=PutObject"
    result = diagnose(url, headers=PNG, secret_key=SECRET_KEY, now=SOON)
    _top(result, "query-tampered", "confirmed")
    assert "x-id" in result.findings[0].message
    # an expiry edited after signing (to extend the URL) is found, not blamed on the secret
    longer = v4(expires=600).replace("X-Amz-Expires=600", "X-Amz-Expires=3600")
    edited = diagnose(longer, secret_key=SECRET_KEY, now=SOON)
    _top(edited, "query-tampered", "confirmed")
    assert "X-Amz-Expires=600" in edited.findings[0].message


def case_path_mismatch() -> None:
    # S3 reads a raw '+' in the path as a space (aws/aws-sdk-ruby#654, nginx/nginx-s3-gateway#77):
    # a key with a literal '+' sent unencoded names another key, and the signature fails
    plus = v4("libstdc%2B%2B-docs.txt")
    raw = plus.replace("libstdc%2B%2B-docs.txt", "libstdc++-docs.txt")
    result = diagnose(raw, secret_key=SECRET_KEY, now=SOON)
    _top(result, "path-mismatch", "confirmed")
    assert "%2B" in result.findings[0].message and "space" in result.findings[0].message
    # a space sent as '+' names the same key as %20: S3 accepts it
    url = v4("my%20file.txt")
    spaced = url.replace("my%20file.txt", "my+file.txt")
    assert diagnose(spaced, secret_key=SECRET_KEY, now=SOON).verdict == "ok"
    double = url.replace("my%20file.txt", "my%2520file.txt")  # encoded twice on the way
    _top(diagnose(double, secret_key=SECRET_KEY, now=SOON), "path-mismatch", "confirmed")


def case_host_mismatch() -> None:
    url = v4()
    with_port = {"Host": "examplebucket.s3.us-east-1.amazonaws.com:443"}
    _top(
        diagnose(url, headers=with_port, secret_key=SECRET_KEY, now=SOON),
        "host-mismatch",
        "confirmed",
    )
    path_style = v4("examplebucket/k.txt", base="https://s3.us-east-1.amazonaws.com")
    virtual = path_style.replace(
        "https://s3.us-east-1.amazonaws.com/examplebucket/",
        "https://examplebucket.s3.us-east-1.amazonaws.com/",
    )
    _top(diagnose(virtual, secret_key=SECRET_KEY, now=SOON), "host-mismatch", "confirmed")


def case_wrong_secret_key() -> None:
    url = v4(headers=PNG, secret="a-different-secret-key-of-the-same-account")
    result = diagnose(url, headers=PNG, secret_key=SECRET_KEY, now=SOON)
    assert result.codes == ["wrong-secret-key"] and result.signature_matches is False
    # nothing reproduced it, and S3's answer was not given: only suspected, saying what was not checked
    assert result.findings[0].to_dict()["confidence"] == "suspected"
    assert "Not checked" in result.findings[0].message
    # S3's own canonical request, signed with the secret given, reproduces the URL's signature:
    # the signer used that secret on exactly what S3 received, so S3 holds another secret
    signed = diagnose(
        url, headers=PNG, secret_key="a-different-secret-key-of-the-same-account", now=SOON
    )
    body = signature_mismatch_body(
        signed.canonical_request, signed.string_to_sign or "", signed.signature_provided or ""
    )
    confirmed = diagnose(
        url,
        headers=PNG,
        error_xml=body,
        secret_key="a-different-secret-key-of-the-same-account",
        now=SOON,
    )
    _top(confirmed, "wrong-secret-key", "confirmed")
    padded = diagnose(v4(headers=PNG), headers=PNG, secret_key=SECRET_KEY + "\n", now=SOON)
    assert padded.codes == ["wrong-secret-key"] and "white space" in padded.findings[0].message


def case_signature_mismatch_unexplained() -> None:
    url = v4(headers=PNG, secret="another-secret")
    request = diagnose(url, headers=PNG, now=SOON)
    assert request.canonical_request and request.string_to_sign
    body = signature_mismatch_body(
        request.canonical_request, request.string_to_sign, request.signature_provided or ""
    )
    _top(diagnose(url, headers=PNG, error_xml=body, now=SOON), "signature-mismatch-unexplained")


CASES: dict[str, Callable[[], None]] = {
    name[5:].replace("_", "-"): fn
    for name, fn in list(globals().items())
    if name.startswith("case_")
}


def test_every_code_has_a_case() -> None:
    assert not set(CASES) & set(NEW_CASES)
    assert set(CASES) | set(NEW_CASES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_finding_code(code: str) -> None:
    CASES[code]()


def test_error_body_canonical_request_names_what_changed_in_transit() -> None:
    """The browser replaced Content-Type: S3's CanonicalRequest shows it without any secret."""
    url = v4(headers=PNG)
    s3_saw = diagnose(url, headers={"Content-Type": "multipart/form-data; boundary=x"}, now=SOON)
    body = signature_mismatch_body(
        s3_saw.canonical_request, s3_saw.string_to_sign or "", s3_saw.signature_provided or ""
    )
    result = diagnose(url, headers=PNG, error_xml=body, now=SOON)
    _top(result, "signed-header-value-mismatch", "reported-by-s3")
    assert result.comparison is not None and not result.comparison.matches
    with_secret = diagnose(url, headers=PNG, error_xml=body, now=SOON, secret_key=SECRET_KEY)
    assert with_secret.codes[0] == "signed-header-value-mismatch"


def test_sigv2_signature_is_checked_and_searched() -> None:
    url = v2(headers=PNG)
    assert diagnose(url, headers=PNG, secret_key=SECRET_KEY, now=SOON).signature_matches is True
    result = diagnose(url, headers={"Content-Type": "image/jpeg"}, secret_key=SECRET_KEY, now=SOON)
    assert result.codes[:2] == ["signed-header-value-mismatch", "sigv2-url"]
    assert (
        diagnose(url, method="GET", headers=PNG, secret_key=SECRET_KEY, now=SOON).codes[0]
        == "method-mismatch"
    )
    wrong = diagnose(url, headers=PNG, secret_key="wrong", now=SOON)
    assert wrong.codes == ["sigv2-url", "wrong-secret-key"]  # only suspected: ranked last
    assert wrong.findings[1].to_dict()["confidence"] == "suspected"


def test_a_correct_request_is_ok() -> None:
    url = v4(headers=PNG)
    result = diagnose(url, headers=PNG, secret_key=SECRET_KEY, now=SOON)
    assert result.verdict == "ok" and result.exit_status == 0 and result.signature_matches is True
    assert diagnose(url, headers=PNG, now=SOON).signature_matches is None


def test_regions_are_the_commercial_ones() -> None:
    assert len(AWS_REGIONS) == len(set(AWS_REGIONS)) >= 30 and "us-east-1" in AWS_REGIONS


def test_a_javascript_sdk_v3_shaped_url_is_ok() -> None:
    """JS v3 adds X-Amz-Content-Sha256 and x-id and sorts the query, signature included."""
    url = v4("k.txt?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&x-id=PutObject")
    base, query = url.split("?")
    shuffled = f"{base}?{'&'.join(sorted(query.split('&')))}"
    assert not shuffled.endswith(url[-20:])  # the signature is no longer last
    assert diagnose(shuffled, now=SOON).verdict == "ok"
    assert diagnose(shuffled, now=SOON, secret_key=SECRET_KEY).signature_matches is True
