"""One case per finding code added for issue 12, each from a realistic failed request.

URLs come from botocore's presigner at a frozen instant (``sdk_url``), from ``presign_v4`` in
the shape JS SDK v3 gives (``js_v3_url``), with AWS's example keys; error bodies are the ones
users quoted from Amazon S3 (the source is named in each case).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest

from presignlab.diagnosis import Diagnosis, diagnose
from presignlab.diagnosis.findings import SUSPECTED
from support.diagnosis import SECRET_KEY, SIGNED_AT, SOON, error_xml, js_v3_url, sdk_url, v4

JPEG = {"Content-Type": "image/jpeg"}


def _first(result: Diagnosis, code: str, confidence: str | None = None) -> None:
    assert result.verdict == "problems", result.to_dict()
    assert result.codes[0] == code, result.codes
    if confidence:
        assert result.findings[0].to_dict()["confidence"] == confidence, result.findings[0]


def case_wrong_endpoint() -> None:
    # boto3 with region_name alone presigns the global host (verified with botocore 1.44.8)
    url = sdk_url(region="eu-central-1")
    assert url.startswith("https://examplebucket.s3.amazonaws.com/")
    redirect = error_xml(  # cperciva/bsdec2-image-upload#11
        "TemporaryRedirect",
        "Please re-send this request to the specified temporary endpoint. Continue to use the "
        "original request endpoint for future requests.",
        ("Endpoint", "examplebucket.s3.eu-central-1.amazonaws.com"),
        ("Bucket", "examplebucket"),
    )
    result = diagnose(url, error_xml=redirect, now=SOON)
    _first(result, "wrong-endpoint", "reported-by-s3")
    assert "examplebucket.s3.eu-central-1.amazonaws.com" in result.findings[0].message
    assert "addressing_style" in result.findings[0].fix and result.exit_status == 1
    permanent = error_xml(  # appoxy/aws#110
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified "
        "endpoint. Please send all future requests to this endpoint.",
        ("Bucket", "examplebucket"),
        ("Endpoint", "examplebucket.s3-ap-northeast-1.amazonaws.com"),
    )
    _first(diagnose(url, error_xml=permanent, now=SOON), "wrong-endpoint")
    opt_in = sdk_url(region="me-south-1")
    illegal = error_xml(
        "IllegalLocationConstraintException",
        "The me-south-1 location constraint is incompatible for the region specific endpoint "
        "this request was sent to.",
    )
    bahrain = diagnose(opt_in, error_xml=illegal, now=SOON)
    _first(bahrain, "wrong-endpoint")
    assert bahrain.findings[0].evidence["bucket_region"] == "me-south-1"
    assert any("opt-in region" in n for n in diagnose(opt_in, now=SOON).notes)


def case_transfer_encoding_unsupported() -> None:
    url = sdk_url(params={"ContentType": "image/jpeg"})
    chunked = {**JPEG, "Transfer-Encoding": "chunked"}
    _first(diagnose(url, headers=chunked, now=SOON), "transfer-encoding-unsupported", "suspected")
    body = error_xml(  # aws/aws-sdk-go#4944, aws/aws-sdk-js#1237
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        ("Header", "Transfer-Encoding"),
    )
    _first(
        diagnose(url, headers=chunked, error_xml=body, now=SOON),
        "transfer-encoding-unsupported",
        "reported-by-s3",
    )


def case_checksum_mismatch() -> None:
    url = js_v3_url()
    result = diagnose(url, headers=JPEG, body_size=48213, now=SOON, secret_key=SECRET_KEY)
    _first(result, "checksum-mismatch", "suspected")
    assert result.signature_matches is True and "WHEN_REQUIRED" in result.findings[0].fix
    assert "ignores" in result.findings[0].message and "R2" in result.findings[0].message
    assert (
        diagnose(url, headers=JPEG, body_size=0, now=SOON).verdict == "ok"
    )  # an empty file is fine
    garage = error_xml(
        "InvalidDigest", "The Content-MD5 or checksum value that you specified is not valid."
    )
    _first(
        diagnose(url, headers=JPEG, error_xml=garage, now=SOON),
        "checksum-mismatch",
        "reported-by-s3",
    )
    md5 = sdk_url(params={"ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="})
    bad = error_xml(
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        ("ExpectedDigest", "d41d8cd98f00b204e9800998ecf8427e"),
        ("CalculatedDigest", "5eb63bbbe01eeed093cb22bb8f5acdc3"),
    )
    sent = {"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}
    assert "content-md5" in diagnose(md5, headers=sent, error_xml=bad, now=SOON).findings[0].message


def case_double_encoded_key() -> None:
    key = "reports/2026 q1.pdf"
    url = sdk_url("get_object", {"Key": quote(key)})  # the key was quote()d before the SDK
    assert "%2520" in url
    missing = error_xml("NoSuchKey", "The specified key does not exist.", ("Key", quote(key)))
    _first(
        diagnose(url, method="GET", error_xml=missing, now=SOON),
        "double-encoded-key",
        "reported-by-s3",
    )
    _first(
        diagnose(url, method="GET", now=SOON, secret_key=SECRET_KEY),
        "double-encoded-key",
        "suspected",
    )
    plain = sdk_url("get_object", {"Key": key})
    other = diagnose(plain, method="GET", error_xml=missing, now=SOON)
    _first(other, "unrecognised-error")  # a key that is simply absent is not called double-encoded


def case_sts_token_version() -> None:
    # aws/aws-sdk-js#4129: a presigned PUT to an ap-east-1 bucket with a global-STS token
    token = "FwoGZXIvYXdzENP//////////wEaDMs0xgrLnOAu9exb9yKsAatGicBu2IE4ENfFViXecuC+xM9E"
    url = v4(
        region="ap-east-1",
        base="https://examplebucket.s3.ap-east-1.amazonaws.com",
        session_token=token,
    )
    body = error_xml(
        "InvalidToken", "The provided token is malformed or otherwise invalid.", ("Token-0", token)
    )
    result = diagnose(url, error_xml=body, now=SOON)
    assert result.codes == ["sts-token-version", "invalid-token"]
    assert token not in result.to_text() and token not in str(result.to_dict())
    same = v4(session_token=token)  # us-east-1 is enabled by default: only invalid-token
    assert diagnose(same, error_xml=body, now=SOON).codes == ["invalid-token"]


def case_sigv4_required() -> None:
    url = sdk_url(config={"signature_version": "s3"}, region="eu-central-1")
    assert "AWSAccessKeyId=" in url
    body = error_xml(  # ravsau/aws-labs#4, cheynewallace/angular-s3-upload#3
        "InvalidRequest",
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
    )
    _first(diagnose(url, error_xml=body, now=SOON), "sigv4-required", "reported-by-s3")
    kms = error_xml(  # boto/boto3#2680
        "InvalidArgument",
        "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
        ("ArgumentName", "Authorization"),
    )
    _first(diagnose(url, method="GET", error_xml=kms, now=SOON), "sigv4-required")


def case_unrecognised_error() -> None:
    url = sdk_url(params={"IfNoneMatch": "*"})
    body = error_xml(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        ("Condition", "If-None-Match"),
    )
    result = diagnose(url, headers={"If-None-Match": "*"}, error_xml=body, now=SOON)
    assert result.codes == ["unrecognised-error"] and result.exit_status == 1
    assert (
        "PreconditionFailed" in result.findings[0].message
        and "pre-conditions" in result.findings[0].message
    )
    novel = diagnose(
        url,
        headers={"If-None-Match": "*"},
        error_xml=error_xml("BrandNewError", "Something new."),
        now=SOON,
    )
    assert (
        novel.codes == ["unrecognised-error"]
        and "BrandNewError: Something new." in novel.findings[0].message
    )


NEW_CASES: dict[str, Callable[[], None]] = {
    name[5:].replace("_", "-"): fn
    for name, fn in list(globals().items())
    if name.startswith("case_")
}


@pytest.mark.parametrize("code", sorted(NEW_CASES))
def test_new_finding_code(code: str) -> None:
    NEW_CASES[code]()


@pytest.mark.parametrize(
    "message, action, policy, explicit",
    [
        ('User: arn:aws:iam::111122223333:user/uploader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" because no identity-based policy allows the s3:PutObject action',
         "s3:PutObject", "identity-based policy", False),
        ('User: arn:aws:sts::111122223333:assumed-role/web/fn is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" with an explicit deny in a resource-based policy',
         "s3:PutObject", "resource-based policy", True),
        ('User: arn:aws:iam::111122223333:user/uploader is not authorized to perform: s3:PutObjectAcl on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" because no identity-based policy allows the s3:PutObjectAcl action',
         "s3:PutObjectAcl", "identity-based policy", False),
        ('User: arn:aws:iam::111122223333:user/uploader is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::examplebucket/uploads/photo.jpg" with an explicit deny in a service control policy',
         "s3:PutObject", "service control policy", True),
    ],
)  # fmt: skip
def test_detailed_access_denied_names_the_action_and_the_policy(
    message: str, action: str, policy: str, explicit: bool
) -> None:
    url = sdk_url(params={"ACL": "public-read"})
    acl = {"x-amz-acl": "public-read"}
    result = diagnose(
        url,
        headers=acl,
        error_xml=error_xml("AccessDenied", message),
        now=SOON,
        secret_key=SECRET_KEY,
    )
    _first(result, "access-denied-policy", "reported-by-s3")
    found = result.findings[0]
    assert found.evidence["action"] == action and found.evidence["policy_type"] == policy
    assert (
        found.evidence["explicit_deny"] is explicit
        and action in found.message
        and policy in found.message
    )
    assert "s3:PutObjectAcl" in found.message + found.fix  # an ACL was sent


def test_bare_access_denied_with_an_acl_names_put_object_acl() -> None:
    url = sdk_url(params={"ACL": "public-read"})
    result = diagnose(
        url,
        headers={"x-amz-acl": "public-read"},
        error_xml=error_xml("AccessDenied", "Access Denied"),
        now=SOON,
    )
    assert (
        result.codes == ["access-denied-policy"] and "s3:PutObjectAcl" in result.findings[0].message
    )
    plain = diagnose(sdk_url(), error_xml=error_xml("AccessDenied", "Access Denied"), now=SOON)
    assert "PutObjectAcl" not in plain.findings[0].message


def test_a_botocore_url_signed_at_a_frozen_instant() -> None:
    url = sdk_url()
    assert "X-Amz-Date=20260301T120000Z" in url and SIGNED_AT.hour == 12
    assert diagnose(url, now=SOON, secret_key=SECRET_KEY).verdict == "ok"


def test_the_search_stops_at_its_budget_and_says_so() -> None:
    from presignlab.diagnosis.signature.candidates import SearchInput
    from presignlab.diagnosis.signature.explain import Echo, not_checked
    from presignlab.diagnosis.signature.search import Signer, search
    from presignlab.signing.presigned_url import parse_presigned_url
    from presignlab.signing.sent_request import SentRequest

    url = v4(headers=JPEG, secret="another-secret-key-entirely-000000000000")
    given = SearchInput(parse_presigned_url(url), SentRequest.to_url(url, "PUT", JPEG))
    stopped = search(Signer(given.url, SECRET_KEY), given, budget=0.0)
    assert stopped.hit is None and stopped.timed_out and stopped.tried == 64
    full = search(Signer(given.url, SECRET_KEY), given)
    assert not full.timed_out and full.tried > 64
    text = "; ".join(not_checked(given, Echo(), stopped, None))
    assert "time budget after 64 changes" in text


def test_readme_lists_every_code_and_shows_no_secret_on_the_command_line() -> None:
    from pathlib import Path

    from presignlab.diagnosis import CODES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert not missing, missing
    assert "--secret-key-env" in readme and '--secret-key "$' not in readme


def test_a_signed_content_length_with_a_known_body_is_named_before_the_secret() -> None:
    """The URL does not record the signed length: with the real size sent, the signed one may
    differ, and that is named (suspected) before a wrong secret is suspected."""
    import boto3
    from botocore.config import Config

    from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY

    session = boto3.session.Session(
        aws_access_key_id=EXAMPLE_ACCESS_KEY_ID,
        aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
        region_name="eu-central-1",
    )
    client = session.client("s3", config=Config(signature_version="s3v4"))
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": "mybucket", "Key": "a.txt", "ContentLength": 10}
    )
    result = diagnose(
        url, "PUT", {"Content-Length": "12"}, secret_key=EXAMPLE_SECRET_ACCESS_KEY, body_size=12
    )
    assert [f.code for f in result.findings] == ["signed-header-value-mismatch", "wrong-secret-key"]
    assert all(f.strength == SUSPECTED for f in result.findings)
    assert "content-length is signed" in result.findings[0].message
