"""The strict local S3 as an attacker tries it: every break once found is a regression test here.

Each test sends what an attacker sent (anonymous requests, path and Host tricks, privilege
escalation through IAM and STS, a replayed payload, hostile bodies) and checks both the answer
and that nothing changed in the store.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from presignlab.locals3.server import LocalS3
from presignlab.signing import sigv4
from presignlab.signing.sent_request import (
    SentRequest,
    sigv4_canonical_request,
    sigv4_string_to_sign,
)
from support.locals3 import (
    error_code,
    sign_v4_headers,
)

BUCKET = "private-bucket"
SECRET_KEY = "secret.txt"
PUBLIC_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
)
DELETE_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?><Delete><Object><Key>secret.txt</Key></Object></Delete>'
)


@pytest.fixture
def private(local_s3: LocalS3) -> LocalS3:
    """A private bucket (AWS's defaults: BPA on, ACLs disabled) holding one object."""
    client = local_s3.client()
    client.create_bucket(Bucket=BUCKET)
    client.put_object(Bucket=BUCKET, Key=SECRET_KEY, Body=b"top secret")
    return local_s3


def _state(server: LocalS3) -> dict[str, object]:
    """Everything an attacker could change, read with root credentials."""
    client = server.client()
    buckets = sorted(b["Name"] for b in client.list_buckets()["Buckets"])
    state: dict[str, object] = {"buckets": buckets}
    if BUCKET in buckets:
        keys = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        state["objects"] = sorted((k["Key"], k["ETag"]) for k in keys)
        try:
            state["policy"] = client.get_bucket_policy(Bucket=BUCKET)["Policy"]
        except ClientError as exc:
            state["policy"] = exc.response["Error"]["Code"]
        block = client.get_public_access_block(Bucket=BUCKET)
        state["block"] = block["PublicAccessBlockConfiguration"]
    return state


def _url(server: LocalS3, target: str) -> str:
    return f"{server.endpoint_url}{target}"


ANONYMOUS_ATTACKS = [
    ("GET", "/{b};x", {}, b""),
    ("GET", "/{b};x?acl", {}, b""),
    ("PUT", "/{b};x?policy", {}, PUBLIC_POLICY.encode()),
    ("DELETE", "/{b};x?publicAccessBlock", {}, b""),
    ("POST", "/{b};x?delete", {"Content-Type": "text/plain"}, DELETE_BODY),
    ("PUT", "/{b};x/planted.html", {"Content-Type": "text/html"}, b"<script>x</script>"),
    ("DELETE", "/{b};x/secret.txt", {}, b""),
    ("DELETE", "/{b};x", {}, b""),
    ("GET", "/{b}/secret.txt?xSignature=", {}, b""),
    ("DELETE", "/{b}/secret.txt?xSignature=", {}, b""),
    ("GET", "/{b}/secret.txt?Signature", {}, b""),
]


@pytest.mark.parametrize(("method", "target", "headers", "body"), ANONYMOUS_ATTACKS)
def test_anonymous_path_tricks_change_and_read_nothing(
    private: LocalS3, method: str, target: str, headers: dict[str, str], body: bytes
) -> None:
    before = _state(private)
    answer = requests.request(
        method, _url(private, target.format(b=BUCKET)), headers=headers, data=body, timeout=10
    )
    assert answer.status_code in (400, 403), answer.text
    assert error_code(answer.content) in ("AccessDenied", "InvalidBucketName")
    assert b"top secret" not in answer.content
    assert _state(private) == before


@pytest.mark.parametrize(
    "host", ["{b}.ghost.localhost", "evil.example.com", "{b}.evil.example.com", "a.b.c"]
)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/{b}/secret.txt", b""),
        ("GET", "/{b}?acl", b""),
        ("DELETE", "/{b}/secret.txt", b""),
        ("PUT", "/{b}/planted.html", b"<b>x</b>"),
        ("PUT", "/{b}?policy", PUBLIC_POLICY.encode()),
        ("DELETE", "/{b}", b""),
    ],
)
def test_a_host_naming_another_bucket_never_reaches_this_one(
    private: LocalS3, host: str, method: str, path: str, body: bytes
) -> None:
    """A dotted Host that is not an S3 endpoint names the bucket (CNAME style): none exists."""
    before = _state(private)
    answer = requests.request(
        method,
        _url(private, path.format(b=BUCKET)),
        headers={"Host": host.format(b=BUCKET)},
        data=body,
        timeout=10,
    )
    assert answer.status_code in (403, 404), answer.text
    assert error_code(answer.content) in ("NoSuchBucket", "AccessDenied")
    assert b"top secret" not in answer.content
    assert _state(private) == before


def test_a_semicolon_in_a_bucket_name_is_an_invalid_bucket_name(private: LocalS3) -> None:
    root = private.client()
    url = root.generate_presigned_url("list_objects_v2", Params={"Bucket": BUCKET})
    answer = requests.get(url.replace(f"/{BUCKET}?", f"/{BUCKET};x?"), timeout=10)
    assert answer.status_code == 400 and error_code(answer.content) == "InvalidBucketName"
    assert f"<BucketName>{BUCKET};x</BucketName>".encode() in answer.content


def test_a_cross_origin_form_cannot_plant_an_object(private: LocalS3) -> None:
    """An auto-submitted <form> from another origin: a POST form upload with no signature."""
    before = _state(private)
    files = {"file": ("x.html", b"<script>alert(1)</script>", "text/html")}
    for target in (f"/{BUCKET};x", f"/{BUCKET}"):
        answer = requests.post(
            _url(private, target),
            data={"key": "planted.html", "Content-Type": "text/html"},
            files=files,
            headers={"Origin": "http://evil.example"},
            timeout=10,
        )
        assert answer.status_code in (400, 403), answer.text
    assert _state(private) == before


def test_a_policy_sent_with_a_form_content_type_is_stored_as_sent(private: LocalS3) -> None:
    """moto's Flask layer once ate a form-typed body: an empty policy, then 500 for IAM users."""
    root = private.client()
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:DeleteObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                }
            ],
        }
    )
    url = f"{private.endpoint_url}/{BUCKET}?policy"
    headers = sign_v4_headers(
        private,
        "PUT",
        url,
        payload=hashlib.sha256(policy.encode()).hexdigest(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = requests.put(url, data=policy.encode(), headers=headers, timeout=10)
    assert answer.status_code < 300, answer.text
    assert json.loads(root.get_bucket_policy(Bucket=BUCKET)["Policy"]) == json.loads(policy)
    iam = private.client("iam")
    iam.create_user(UserName="reader")
    iam.put_user_policy(
        UserName="reader",
        PolicyName="read",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Action":"s3:GetObject","Resource":"*"}]}',
    )
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    reader = private.client(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    assert reader.get_object(Bucket=BUCKET, Key=SECRET_KEY)["Body"].read() == b"top secret"


# -- least privilege on IAM and STS -------------------------------------------------------------

UPLOAD_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*/uploads/*"}
        ],
    }
)


def _user(server: LocalS3, name: str, policy: str | None = UPLOAD_ONLY) -> dict[str, str]:
    iam = server.client("iam")
    iam.create_user(UserName=name)
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {
        "aws_access_key_id": key["AccessKeyId"],
        "aws_secret_access_key": key["SecretAccessKey"],
    }


def _denied(call: object, *args: object, **kwargs: object) -> ClientError:
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    assert info.value.response["Error"]["Code"] == "AccessDenied", info.value.response
    return info.value


def test_an_upload_only_user_cannot_escalate_through_iam(private: LocalS3) -> None:
    keys = _user(private, "uploader")
    _user(private, "victim", policy=None)
    iam = private.client("iam", **keys)
    error = _denied(
        iam.put_user_policy,
        UserName="uploader",
        PolicyName="all",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",'
        '"Resource":"*"}]}',
    )
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    message = error.response["Error"]["Message"]
    assert message == (
        "User: arn:aws:iam::123456789012:user/uploader is not authorized to perform: "
        "iam:PutUserPolicy on resource: arn:aws:iam::123456789012:user/uploader because no "
        "identity-based policy allows the iam:PutUserPolicy action"
    )
    _denied(iam.create_access_key, UserName="victim")
    _denied(iam.create_role, RoleName="r", AssumeRolePolicyDocument="{}")
    _denied(iam.list_users)
    root_iam = private.client("iam")
    assert list(root_iam.list_user_policies(UserName="uploader")["PolicyNames"]) == ["p"]
    assert len(root_iam.list_access_keys(UserName="victim")["AccessKeyMetadata"]) == 1
    assert root_iam.list_roles()["Roles"] == []


def test_a_user_may_do_what_its_identity_policy_allows_on_iam(private: LocalS3) -> None:
    keys = _user(
        private,
        "admin",
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers",'
        '"Resource":"*"}]}',
    )
    names = [u["UserName"] for u in private.client("iam", **keys).list_users()["Users"]]
    assert names == ["admin"]


def test_caller_identity_and_session_token_need_no_permission(private: LocalS3) -> None:
    keys = _user(private, "nobody", policy=None)
    sts = private.client("sts", **keys)
    assert sts.get_caller_identity()["Arn"].endswith(":user/nobody")
    assert sts.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")


TRUST_ACCOUNT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def test_assume_role_needs_the_identity_permission_when_the_trust_names_the_account(
    private: LocalS3,
) -> None:
    private.client("iam").create_role(RoleName="empty", AssumeRolePolicyDocument=TRUST_ACCOUNT)
    keys = _user(private, "plain", policy=None)
    role_arn = "arn:aws:iam::123456789012:role/empty"
    _denied(private.client("sts", **keys).assume_role, RoleArn=role_arn, RoleSessionName="s1")


@pytest.mark.parametrize("name", ["x:root", "a", "x" * 65, "bad name", "ü-x"])
def test_role_session_names_are_validated(private: LocalS3, name: str) -> None:
    private.client("iam").create_role(RoleName="empty", AssumeRolePolicyDocument=TRUST_ACCOUNT)
    sts = private.client("sts", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/empty", RoleSessionName=name)
    assert info.value.response["Error"]["Code"] == "ValidationError"
    assert "roleSessionName" in info.value.response["Error"]["Message"]


def test_a_role_session_never_acts_as_the_root(private: LocalS3) -> None:
    """Root is recognised by the root credential, never by an ARN ending in ``:root``."""
    from presignlab.locals3.authz.context import acts_as_root

    private.client("iam").create_role(RoleName="empty", AssumeRolePolicyDocument=TRUST_ACCOUNT)
    creds = private.client("sts").assume_role(
        RoleArn="arn:aws:iam::123456789012:role/empty", RoleSessionName="root"
    )["Credentials"]
    session = private.client(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    _denied(session.get_object, Bucket=BUCKET, Key=SECRET_KEY)
    found = private.store.lookup(creds["AccessKeyId"])
    assert found is not None and not acts_as_root(found.principal)


def test_a_deleted_users_session_stops_working(private: LocalS3) -> None:
    read_all = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
        '"Resource":"*"}]}'
    )
    keys = _user(private, "temp", read_all)
    creds = private.client("sts", **keys).get_session_token()["Credentials"]
    session = private.client(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert session.get_object(Bucket=BUCKET, Key=SECRET_KEY)["Body"].read() == b"top secret"
    iam = private.client("iam")
    iam.delete_user_policy(UserName="temp", PolicyName="p")
    iam.delete_access_key(UserName="temp", AccessKeyId=keys["aws_access_key_id"])
    iam.delete_user(UserName="temp")
    iam.create_user(UserName="temp")
    iam.put_user_policy(UserName="temp", PolicyName="p", PolicyDocument=read_all)
    _denied(session.get_object, Bucket=BUCKET, Key=SECRET_KEY)


# -- the payload hash -----------------------------------------------------------------------


def test_a_signed_payload_hash_cannot_be_bypassed_with_aws_chunked(private: LocalS3) -> None:
    body_a, body_b = b"the signed body", b"an attacker's body"
    url = f"{private.endpoint_url}/{BUCKET}/replayed.txt"
    headers = sign_v4_headers(private, "PUT", url, payload=hashlib.sha256(body_a).hexdigest())
    chunked = f"{len(body_b):x};chunk-signature={'0' * 64}\r\n".encode() + body_b + b"\r\n"
    chunked += b"0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n"
    headers.update({"Content-Encoding": "aws-chunked", "Content-Length": str(len(chunked))})
    answer = requests.put(url, data=chunked, headers=headers, timeout=10)
    assert answer.status_code == 400 and error_code(answer.content) == "XAmzContentSHA256Mismatch"
    with pytest.raises(ClientError):
        private.client().head_object(Bucket=BUCKET, Key="replayed.txt")


# -- host must be signed --------------------------------------------------------------------


def _presign_without_host(server: LocalS3, path: str) -> str:
    """A SigV4 presigned GET whose X-Amz-SignedHeaders is ``x-amz-meta-a`` only (no ``host``)."""
    now = datetime.now(UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    scope = sigv4.credential_scope(amz_date, "us-east-1")
    params = [
        ("X-Amz-Algorithm", sigv4.ALGORITHM),
        ("X-Amz-Credential", f"{server.access_key_id}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", "300"),
        ("X-Amz-SignedHeaders", "x-amz-meta-a"),
    ]
    host = f"{server.host}:{server.port}"
    sent = SentRequest("GET", host, path, tuple(params), (("x-amz-meta-a", "1"),))
    to_sign = sigv4_string_to_sign(
        sigv4_canonical_request(sent, ["x-amz-meta-a"]), amz_date, "us-east-1"
    )
    key = sigv4.signing_key(server.secret_access_key, amz_date, "us-east-1")
    query = "&".join(f"{sigv4.uri_encode(n)}={sigv4.uri_encode(v)}" for n, v in params)
    return f"{server.endpoint_url}{path}?{query}&X-Amz-Signature={sigv4.signature(key, to_sign)}"


def test_a_presigned_url_must_sign_host(private: LocalS3) -> None:
    """S3's answer quoted in brendanhay/amazonka#272: host is always a signed header."""
    url = _presign_without_host(private, f"/{BUCKET}/{SECRET_KEY}")
    answer = requests.get(url, headers={"x-amz-meta-a": "1"}, timeout=10)
    assert answer.status_code == 403 and error_code(answer.content) == "AccessDenied"
    assert b"<HeadersNotSigned>host</HeadersNotSigned>" in answer.content
    assert b"top secret" not in answer.content
