"""Presigned POST against the strict local S3 (reference §2): boto3-made forms, moto storage."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from presignlab.locals3.authn.identity import Principal
from presignlab.locals3.post.upload import handle_post
from presignlab.locals3.wire.errors import S3Error
from support.authn import AK, SK, STORE, TEMP_AK, TEMP_SK, TOKEN, TOKEN_EXPIRES

BUCKET = "post-bucket"
BOUNDARY = "----presignlabBoundary7MA4YWxkTrZu0gW"


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture()
def s3(moto_s3: Any) -> Iterator[Any]:
    yield moto_s3
    for item in moto_s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        moto_s3.delete_object(Bucket=BUCKET, Key=item["Key"])


def presigned(
    version: str = "s3v4",
    *,
    key: str = "uploads/a.txt",
    ak: str = AK,
    sk: str = SK,
    token: str | None = None,
    **kwargs: Any,
) -> list[tuple[str, str]]:
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id=ak,
        aws_secret_access_key=sk,
        aws_session_token=token,
        config=Config(signature_version=version),
    )
    post = client.generate_presigned_post(BUCKET, key, **kwargs)
    return list(post["fields"].items())


def encode(
    fields: list[tuple[str, str]],
    content: bytes = b"hello",
    *,
    filename: str = "a.txt",
    files: int = 1,
) -> bytes:
    out = io.BytesIO()
    for name, value in fields:
        out.write(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for _ in range(files):
        out.write(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def post(
    body: bytes,
    *,
    now: datetime | None = None,
    content_type: str | None = None,
    seen: list[tuple[Principal | None, str]] | None = None,
    **kwargs: Any,
) -> Any:
    def authorize(principal: Principal | None, key: str, fields: Any) -> None:
        if seen is not None:
            seen.append((principal, key))

    return handle_post(
        io.BytesIO(body),
        content_type or f"multipart/form-data; boundary={BOUNDARY}",
        len(body),
        bucket=BUCKET,
        store=STORE,
        now=now or datetime.now(UTC),
        authorize=authorize,
        **kwargs,
    )


def error(body: bytes, **kwargs: Any) -> S3Error:
    with pytest.raises(S3Error) as info:
        post(body, **kwargs)
    return info.value


def shape(err: S3Error) -> tuple[int, str, str, tuple[tuple[str, str], ...]]:
    return err.status, err.code, err.message, tuple(err.extra)


def replace(fields: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    out = [(n, v) for n, v in fields if n.lower() != name.lower()]
    return out if value is None else [*out, (name, value)]


def resign_policy(document: dict[str, Any], fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same form with ``document`` as its policy, signed with SigV4 like boto3 does."""
    from presignlab.signing import sigv4

    policy = base64.b64encode(json.dumps(document).encode()).decode()
    scope = dict(fields)["x-amz-credential"].split("/")
    sig = sigv4.signature(sigv4.signing_key(SK, scope[1], scope[2], scope[3]), policy)
    return replace(replace(fields, "policy", policy), "x-amz-signature", sig)


def policy_of(fields: list[tuple[str, str]]) -> dict[str, Any]:
    return json.loads(base64.b64decode(dict(fields)["policy"]))


# -- success ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_boto3_form_uploads_and_answers_204(s3: Any, version: str) -> None:
    seen: list[tuple[Principal | None, str]] = []
    result = post(encode(presigned(version), b"hello world"), seen=seen)
    assert result.status == 204 and result.body == b""
    assert ("ETag", '"5eb63bbbe01eeed093cb22bb8f5acdc3"') in result.headers
    assert s3.get_object(Bucket=BUCKET, Key="uploads/a.txt")["Body"].read() == b"hello world"
    assert seen[0][1] == "uploads/a.txt" and seen[0][0] is not None and seen[0][0].kind == "root"


def test_content_type_field_is_stored(s3: Any) -> None:
    fields = presigned(
        Fields={"Content-Type": "text/plain"}, Conditions=[{"Content-Type": "text/plain"}]
    )
    post(encode(fields))
    assert s3.head_object(Bucket=BUCKET, Key="uploads/a.txt")["ContentType"] == "text/plain"


def test_filename_substitution(s3: Any) -> None:
    result = post(encode(presigned(key="in/${filename}"), filename="C:\\docs\\report.pdf"))
    assert result.key == "in/report.pdf"
    assert s3.get_object(Bucket=BUCKET, Key="in/report.pdf")["Body"].read() == b"hello"


def test_success_action_status_201(s3: Any) -> None:
    fields = presigned(
        Fields={"success_action_status": "201"}, Conditions=[{"success_action_status": "201"}]
    )
    result = post(encode(fields))
    assert result.status == 201
    assert result.body.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>'
        "<Location>/post-bucket/uploads/a.txt</Location>"
        "<Bucket>post-bucket</Bucket><Key>uploads/a.txt</Key>"
        '<ETag>"5d41402abc4b2a76b9719d911017c592"</ETag></PostResponse>'
    )
    assert dict(result.headers)["Location"] == "/post-bucket/uploads/a.txt"


def test_success_action_redirect_303(s3: Any) -> None:
    url = "http://localhost.test/done"
    fields = presigned(
        Fields={"success_action_redirect": url}, Conditions=[{"success_action_redirect": url}]
    )
    result = post(encode(fields))
    assert result.status == 303
    assert dict(result.headers)["Location"] == (
        "http://localhost.test/done?bucket=post-bucket&key=uploads%2Fa.txt"
        "&etag=%225d41402abc4b2a76b9719d911017c592%22"
    )


def test_relative_redirect_is_ignored(s3: Any) -> None:
    fields = presigned(
        Fields={"success_action_redirect": "/done"},
        Conditions=[{"success_action_redirect": "/done"}],
    )
    assert post(encode(fields)).status == 204


@pytest.mark.parametrize("size", [5, 10])
def test_content_length_range_is_inclusive(s3: Any, size: int) -> None:
    fields = presigned(Conditions=[["content-length-range", "5", "10"]])
    assert post(encode(fields, b"x" * size)).status == 204


def test_session_token_form(s3: Any) -> None:
    fields = presigned(ak=TEMP_AK, sk=TEMP_SK, token=TOKEN)
    assert post(encode(fields)).status == 204
    expired = error(encode(fields), now=TOKEN_EXPIRES + timedelta(seconds=1))
    assert shape(expired) == (400, "ExpiredToken", "The provided token has expired.", ())


def test_file_part_is_streamed_not_loaded(s3: Any) -> None:
    big = b"0123456789abcdef" * (200 * 1024)  # 3.2 MiB, more than the in-memory spool
    fields = presigned(Conditions=[["content-length-range", 0, len(big)]])
    assert post(encode(fields, big)).status == 204
    assert s3.head_object(Bucket=BUCKET, Key="uploads/a.txt")["ContentLength"] == len(big)


# -- request shape ---------------------------------------------------------------------------


def test_wrong_content_type_is_412_first(s3: Any) -> None:
    err = error(b"key=a", content_type="application/x-www-form-urlencoded")
    assert shape(err) == (
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        (("Condition", "Bucket POST must be of the enclosure-type multipart/form-data"),),
    )


@pytest.mark.parametrize("files", [0, 2])
def test_exactly_one_file(s3: Any, files: int) -> None:
    err = error(encode(presigned(), files=files))
    assert (err.status, err.code) == (400, "IncorrectNumberOfFilesInPostRequest")
    with pytest.raises(ClientError):
        s3.head_object(Bucket=BUCKET, Key="uploads/a.txt")


def test_fields_before_file_are_limited(s3: Any) -> None:
    fields = [*presigned(), ("x-ignore-padding", "p" * 30000)]
    err = error(encode(fields))
    assert (err.status, err.code) == (400, "MaxPostPreDataLengthExceededError")
    assert err.message == "Your POST request fields preceding the upload file were too large."


@pytest.mark.parametrize(
    ("removed", "reported"),
    [
        (["x-amz-signature"], "X-Amz-Signature"),
        (["x-amz-date"], "X-Amz-Date"),
        (["x-amz-algorithm", "x-amz-credential"], "X-Amz-Algorithm"),
        (["key"], "key"),
    ],
)
def test_missing_sigv4_field(s3: Any, removed: list[str], reported: str) -> None:
    fields = presigned()
    for name in removed:
        fields = replace(fields, name, None)
    assert shape(error(encode(fields))) == (
        400,
        "InvalidArgument",
        (
            f"Bucket POST must contain a field named '{reported}'.  "
            "If it is specified, please check the order of the fields."
        ),
        (("ArgumentName", reported), ("ArgumentValue", "")),
    )


@pytest.mark.parametrize(
    ("removed", "reported"), [("signature", "Signature"), ("AWSAccessKeyId", "AWSAccessKeyId")]
)
def test_missing_sigv2_field(s3: Any, removed: str, reported: str) -> None:
    err = error(encode(replace(presigned("s3"), removed, None)))
    assert (err.code, tuple(err.extra)) == (
        "InvalidArgument",
        (("ArgumentName", reported), ("ArgumentValue", "")),
    )
    assert err.message.startswith(f"Bucket POST must contain a field named '{reported}'.  If")


def test_only_key_and_policy_is_access_denied(s3: Any) -> None:
    fields = [(n, v) for n, v in presigned() if n in ("key", "policy")]
    assert shape(error(encode(fields))) == (403, "AccessDenied", "Access Denied", ())


# -- signature -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["s3v4", "s3"])
def test_wrong_secret_is_signature_mismatch_without_canonical_request(
    s3: Any, version: str
) -> None:
    fields = presigned(version, sk="wrong-secret")
    err = error(encode(fields))
    policy = dict(fields)["policy"]
    provided = dict(fields).get("x-amz-signature") or dict(fields)["signature"]
    assert (err.status, err.code) == (403, "SignatureDoesNotMatch")
    assert [n for n, _ in err.extra] == [
        "AWSAccessKeyId",
        "StringToSign",
        "SignatureProvided",
        "StringToSignBytes",
    ]
    assert tuple(err.extra)[:3] == (
        ("AWSAccessKeyId", AK),
        ("StringToSign", policy),
        ("SignatureProvided", provided),
    )
    assert dict(err.extra)["StringToSignBytes"] == policy.encode().hex(" ")


def test_tampered_policy_is_signature_mismatch(s3: Any) -> None:
    fields = presigned()
    tampered = replace(fields, "policy", dict(fields)["policy"][:-4] + "AAAA")
    err = error(encode(tampered))
    assert (
        err.code == "SignatureDoesNotMatch"
        and dict(err.extra)["StringToSign"] == dict(tampered)["policy"]
    )


def test_unknown_access_key(s3: Any) -> None:
    err = error(encode(presigned(ak="AKIAUNKNOWNEXAMPLE00")))
    assert shape(err) == (
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        (("AWSAccessKeyId", "AKIAUNKNOWNEXAMPLE00"),),
    )


def test_session_token_must_belong_to_the_key(s3: Any) -> None:
    fields = presigned(ak=TEMP_AK, sk=TEMP_SK, token=TOKEN)
    err = error(encode(replace(fields, "x-amz-security-token", "not-a-known-token")))
    assert (err.status, err.code) == (400, "InvalidToken")


# -- policy ----------------------------------------------------------------------------------


def test_expired_policy(s3: Any) -> None:
    err = error(encode(presigned(ExpiresIn=60)), now=datetime.now(UTC) + timedelta(minutes=5))
    assert shape(err) == (403, "AccessDenied", "Invalid according to Policy: Policy expired.", ())


def test_extra_input_field_is_lower_cased(s3: Any) -> None:
    fields = presigned(Fields={"Content-Type": "text/plain"})  # no condition for it
    assert shape(error(encode(fields))) == (
        403,
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: content-type",
        (),
    )


def test_exempt_fields_need_no_condition(s3: Any) -> None:
    fields = [*presigned(), ("x-ignore-note", "anything")]
    assert post(encode(fields)).status == 204


@pytest.mark.parametrize(
    ("condition", "value"),
    [
        (
            ["eq", "$success_action_redirect", "http://localhost.test/random"],
            "http://localhost.test/other",
        ),
        (["starts-with", "$success_action_redirect", "http://localhost"], "https://elsewhere.test"),
        (["eq", "success_action_redirect", "http://localhost.test/x"], "http://localhost.test/x"),
        (["content-length-range", "test", "10"], None),
    ],
)
def test_failed_condition_is_echoed_as_written(
    s3: Any, condition: list[Any], value: str | None
) -> None:
    fields = presigned()
    document = policy_of(fields)
    document["conditions"].append(condition)
    if value is not None:
        fields = [*fields, ("success_action_redirect", value)]
    err = error(encode(resign_policy(document, fields)))
    assert shape(err) == (
        403,
        "AccessDenied",
        f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}",
        (),
    )


def test_condition_field_names_are_case_insensitive(s3: Any) -> None:
    fields = presigned()
    document = policy_of(fields)
    document["conditions"].append(["eq", "$success_Action_REDIRECT", "http://localhost.test/ok"])
    signed = resign_policy(
        document, [*fields, ("SUCCESS_ACTION_REDIRECT", "http://localhost.test/ok")]
    )
    assert post(encode(signed)).status == 303


def test_simple_condition_with_two_properties(s3: Any) -> None:
    fields = presigned()
    document = policy_of(fields)
    document["conditions"].append({"a": "1", "b": "2"})
    assert shape(error(encode(resign_policy(document, fields)))) == (
        400,
        "InvalidPolicyDocument",
        (
            "Invalid Policy: Invalid Simple-Condition: "
            "Simple-Conditions must have exactly one property specified."
        ),
        (),
    )


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            12,
            (
                400,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
                (("ProposedSize", "12"), ("MaxSizeAllowed", "10")),
            ),
        ),
        (
            1,
            (
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size",
                (("ProposedSize", "1"), ("MinSizeAllowed", "5")),
            ),
        ),
    ],
)
def test_size_outside_range(s3: Any, size: int, expected: tuple[Any, ...]) -> None:
    fields = presigned(Conditions=[["content-length-range", 5, 10]])
    assert shape(error(encode(fields, b"x" * size))) == expected
    with pytest.raises(ClientError):
        s3.head_object(Bucket=BUCKET, Key="uploads/a.txt")


def test_signature_checked_before_policy_expiry(s3: Any) -> None:
    fields = presigned(sk="wrong-secret", ExpiresIn=60)
    err = error(encode(fields), now=datetime.now(UTC) + timedelta(minutes=5))
    assert err.code == "SignatureDoesNotMatch"


def test_authorize_can_refuse(s3: Any) -> None:
    def deny(principal: Principal | None, key: str, fields: Any) -> None:
        raise S3Error(403, "AccessDenied", "Access Denied")

    body = encode(presigned())
    with pytest.raises(S3Error):
        handle_post(
            io.BytesIO(body),
            f"multipart/form-data; boundary={BOUNDARY}",
            len(body),
            bucket=BUCKET,
            store=STORE,
            now=datetime.now(UTC),
            authorize=deny,
        )
    with pytest.raises(ClientError):
        s3.head_object(Bucket=BUCKET, Key="uploads/a.txt")


def test_anonymous_form_is_left_to_authorization(s3: Any) -> None:
    seen: list[tuple[Principal | None, str]] = []
    assert post(encode([("key", "public/a.txt")]), seen=seen).status == 204
    assert seen == [(None, "public/a.txt")]


def test_success_action_status_200(s3: Any) -> None:
    fields = presigned(
        Fields={"success_action_status": "200"}, Conditions=[{"success_action_status": "200"}]
    )
    result = post(encode(fields))
    assert (result.status, result.body) == (200, b"")


def test_invalid_storage_class(s3: Any) -> None:
    fields = presigned(
        Fields={"x-amz-storage-class": "FakeClass"},
        Conditions=[{"x-amz-storage-class": "FakeClass"}],
    )
    assert shape(error(encode(fields))) == (
        400,
        "InvalidStorageClass",
        "The storage class you specified is not valid",
        (("StorageClassRequested", "FakeClass"),),
    )


def test_signed_policy_that_is_not_json(s3: Any) -> None:
    from presignlab.signing import sigv4

    fields = presigned()
    policy = base64.b64encode(b"not json").decode()
    scope = dict(fields)["x-amz-credential"].split("/")
    sig = sigv4.signature(sigv4.signing_key(SK, scope[1], scope[2], scope[3]), policy)
    signed = replace(replace(fields, "policy", policy), "x-amz-signature", sig)
    assert shape(error(encode(signed))) == (
        400,
        "InvalidPolicyDocument",
        "Invalid Policy: Invalid JSON.",
        (),
    )
