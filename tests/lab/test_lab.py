"""presignlab.lab: target switch, idempotent open, botocore on the lab clock, signers, clean-up.

The aws path runs against a LocalS3 through ``PRESIGNLAB_AWS_ENDPOINT_URL`` and an injected
boto3 session, so its code (unique names, no patching, clean-up) is tested without AWS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import botocore.auth
import botocore.compat
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from presignlab.errors import TargetError
from presignlab.lab import (
    AWS_ENDPOINT_ENV,
    LAB_EPOCH,
    TARGET_ENV,
    Lab,
    close_lab,
    lab_target,
    open_lab,
    send,
    show_error,
)
from presignlab.lab.botocore_clock import followed_clock
from presignlab.locals3.server import LocalS3

POLICY_PREFIX = "uploads/"


def _put_policy(bucket: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/{POLICY_PREFIX}*",
            }
        ],
    }


@pytest.fixture(name="lab")
def lab_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    """A local lab on a fresh LocalS3; everything is undone afterwards."""
    monkeypatch.delenv(TARGET_ENV, raising=False)
    close_lab()
    lab = open_lab("test-lab")
    try:
        yield lab
    finally:
        if lab._alive():  # a test may have closed the lab already
            lab.cleanup()
        close_lab()


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# -- the target switch -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target"), [("", "local"), ("local", "local"), ("aws", "aws"), (" AWS ", "aws")]
)
def test_target_values(monkeypatch: pytest.MonkeyPatch, value: str, target: str) -> None:
    monkeypatch.setenv(TARGET_ENV, value)
    assert lab_target() == target


def test_target_defaults_to_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TARGET_ENV, raising=False)
    assert lab_target() == "local"


@pytest.mark.parametrize("value", ["prod", "localstack", "s3", "aws-us-east-1", "1"])
def test_unknown_target_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(TARGET_ENV, value)
    with pytest.raises(TargetError) as info:
        open_lab("bad-target")
    message = str(info.value)
    assert TARGET_ENV in message and repr(value) in message
    assert "'local'" in message and "'aws'" in message


# -- local: idempotency and the clock ----------------------------------------------------------


def test_open_lab_is_idempotent_and_pins_the_clock_once(lab: Lab) -> None:
    assert lab.target == "local" and lab.clock is not None
    assert lab.clock.now() == LAB_EPOCH
    assert lab.endpoint_url == LocalS3.current().endpoint_url  # type: ignore[union-attr]
    lab.clock.advance(seconds=30)
    again = open_lab("test-lab")
    assert again is lab
    assert again.clock is not None and again.clock.now() == LAB_EPOCH.replace(second=30)
    assert lab.name("uploads") == "presignlab-uploads"


def test_boto3_presigned_url_is_dated_by_the_lab_clock_and_expires_at_the_server(lab: Lab) -> None:
    assert lab.clock is not None
    bucket = lab.create_bucket()
    url = lab.s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "a.txt"}, ExpiresIn=60
    )
    assert _query(url)["X-Amz-Date"] == "20260301T120000Z"
    assert send("PUT", url, data=b"one").status == 200
    lab.clock.advance(seconds=61)
    expired = send("PUT", url, data=b"two")
    assert expired.status == 403 and expired.code == "AccessDenied"
    assert expired.error is not None and expired.error.message == "Request has expired"
    # header-signed calls follow the clock too: two hours later they still authenticate
    lab.clock.advance(hours=2)
    assert lab.s3.get_object(Bucket=bucket, Key="a.txt")["Body"].read() == b"one"


def test_sigv2_expires_follows_the_lab_clock(lab: Lab) -> None:
    assert lab.clock is not None
    bucket = lab.create_bucket()
    v2 = lab.client("s3", config=Config(signature_version="s3"))
    url = v2.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "v2"}, ExpiresIn=300
    )
    assert int(_query(url)["Expires"]) == int(LAB_EPOCH.timestamp()) + 300
    assert send("PUT", url, data=b"v2").status == 200
    lab.clock.advance(seconds=301)
    assert send("PUT", url, data=b"v2").code == "AccessDenied"


def test_presigned_post_expiration_follows_the_lab_clock(lab: Lab) -> None:
    bucket = lab.create_bucket()
    post = lab.s3.generate_presigned_post(bucket, "post.txt", ExpiresIn=120)
    assert post["fields"]["x-amz-date"] == "20260301T120000Z"


def test_close_lab_gives_botocore_its_clock_back(lab: Lab) -> None:
    assert followed_clock() is lab.clock
    close_lab()
    assert followed_clock() is None
    assert botocore.auth.get_current_datetime is botocore.compat.get_current_datetime
    assert abs(botocore.auth.get_current_datetime().year - datetime.now(UTC).year) <= 1


# -- resources ---------------------------------------------------------------------------------


def test_create_bucket_is_idempotent_with_aws_defaults(lab: Lab) -> None:
    assert lab.create_bucket() == lab.create_bucket() == "presignlab-uploads"
    block = lab.s3.get_public_access_block(Bucket="presignlab-uploads")
    assert all(block["PublicAccessBlockConfiguration"].values())
    rules = lab.s3.get_bucket_ownership_controls(Bucket="presignlab-uploads")
    assert rules["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
    with pytest.raises(ClientError):
        lab.s3.get_bucket_policy(Bucket="presignlab-uploads")


def test_signer_puts_only_where_its_policy_allows(lab: Lab) -> None:
    bucket = lab.create_bucket()
    signer = lab.create_signer("signer", _put_policy(bucket))
    assert signer.secret_access_key not in repr(signer) and "<hidden>" in repr(signer)
    assert signer.secret_access_key not in str(signer)
    assert signer.user_name == "presignlab-signer" and signer.arn.endswith(
        ":user/presignlab-signer"
    )
    client = signer.client("s3")
    assert client.meta.config.signature_version == "s3v4"
    assert client.meta.config.s3["addressing_style"] == "path"
    client.put_object(Bucket=bucket, Key="uploads/ok.txt", Body=b"ok")
    with pytest.raises(ClientError) as denied:
        client.put_object(Bucket=bucket, Key="elsewhere/no.txt", Body=b"no")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "uploads/url.txt"}, ExpiresIn=60
    )
    assert send("PUT", url, data=b"x").status == 200
    assert lab.create_signer("signer", _put_policy(bucket)) is signer


def test_create_role_trusts_the_account(lab: Lab) -> None:
    arn = lab.create_role("role", _put_policy("presignlab-uploads"))
    assert arn == f"arn:aws:iam::{lab.account_id}:role/presignlab-role"
    credentials = lab.sts.assume_role(RoleArn=arn, RoleSessionName="lab-test")["Credentials"]
    assert credentials["AccessKeyId"]


def test_cleanup_removes_everything_and_is_safe_twice(lab: Lab) -> None:
    bucket = lab.create_bucket()
    lab.s3.put_object(Bucket=bucket, Key="a", Body=b"1")
    lab.s3.create_multipart_upload(Bucket=bucket, Key="big")
    versioned = lab.create_bucket("versioned")
    lab.s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
    lab.s3.put_object(Bucket=versioned, Key="v", Body=b"1")
    lab.s3.put_object(Bucket=versioned, Key="v", Body=b"2")
    lab.s3.delete_object(Bucket=versioned, Key="v")
    lab.create_signer("signer", _put_policy(bucket))
    lab.create_role("role", _put_policy(bucket))
    lab.s3.create_bucket(Bucket="made-by-hand")  # not registered: emptied locally too
    lines = lab.cleanup()
    assert any(line.startswith(f"bucket {versioned}: deleted (3 objects") for line in lines)
    assert any(line.startswith("user presignlab-signer: deleted") for line in lines)
    assert any(line.startswith("role presignlab-role: deleted") for line in lines)
    assert lab.s3.list_buckets()["Buckets"] == []
    assert lab.iam.list_users()["Users"] == []
    assert lab.iam.list_roles()["Roles"] == []
    assert lab.cleanup() == []


def test_cleanup_reports_what_is_already_gone(lab: Lab) -> None:
    bucket = lab.create_bucket()
    lab.create_signer("signer", _put_policy(bucket))
    lab.s3.delete_bucket(Bucket=bucket)
    keys = lab.iam.list_access_keys(UserName="presignlab-signer")["AccessKeyMetadata"]
    for key in keys:
        lab.iam.delete_access_key(UserName="presignlab-signer", AccessKeyId=key["AccessKeyId"])
    lab.iam.delete_user_policy(UserName="presignlab-signer", PolicyName="signer-policy")
    lab.iam.delete_user(UserName="presignlab-signer")
    lines = lab.cleanup()
    assert f"bucket {bucket}: already gone" in lines
    assert "user presignlab-signer: already gone" in lines


def test_local_only_is_true_locally(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    assert lab.local_only("moving the clock") is True
    assert capsys.readouterr().out == ""


# -- requests helpers --------------------------------------------------------------------------


def test_show_error_prints_code_and_extras_never_ids(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lab.clock is not None
    bucket = lab.create_bucket()
    url = lab.s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=1
    )
    lab.clock.advance(seconds=5)
    response = send("PUT", url, data=b"x")
    show_error(response)
    out = capsys.readouterr().out
    assert out.startswith("Status: 403\nCode: AccessDenied\nMessage: Request has expired\n")
    assert "Expires: 2026-03-01T12:00:01Z" in out
    assert "RequestId" not in out and "HostId" not in out
    assert b"RequestId" in response.body


def test_send_success_has_no_error(lab: Lab) -> None:
    bucket = lab.create_bucket()
    lab.s3.put_object(Bucket=bucket, Key="k", Body=b"body")
    url = lab.s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"})
    response = send("GET", url)
    assert (response.status, response.body, response.error) == (200, b"body", None)
    assert response.header("etag") is not None


# -- the aws path, pointed at a LocalS3 ---------------------------------------------------------


@pytest.fixture(name="fake_aws")
def fake_aws_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LocalS3, object]]:
    """A LocalS3 on real time standing in for AWS, and a boto3 session with its root keys."""
    close_lab()
    with LocalS3(socket_timeout=3) as server:
        monkeypatch.setenv(TARGET_ENV, "aws")
        monkeypatch.setenv(AWS_ENDPOINT_ENV, server.endpoint_url)
        session = boto3.session.Session(
            aws_access_key_id=server.access_key_id,
            aws_secret_access_key=server.secret_access_key,
            region_name="us-east-1",
        )
        try:
            yield server, session
        finally:
            close_lab()


def test_aws_path_names_uniquely_patches_nothing_and_cleans_up(
    fake_aws: tuple[LocalS3, object], capsys: pytest.CaptureFixture[str]
) -> None:
    server, session = fake_aws
    lab = open_lab("nb", _session=session)
    assert open_lab("nb", _session=session) is lab
    assert (lab.target, lab.clock, lab.endpoint_url) == ("aws", None, None)
    assert lab.account_id == server.account_id
    assert followed_clock() is None
    bucket = lab.create_bucket()
    assert re.fullmatch(r"presignlab-uploads-[0-9a-f]{8}", bucket)
    assert lab.create_bucket() == bucket
    lab.s3.put_object(Bucket=bucket, Key="uploads/a", Body=b"a")
    signer = lab.create_signer("signer", _put_policy(bucket))
    assert re.fullmatch(r"presignlab-signer-[0-9a-f]{8}", signer.user_name)
    signer.client("s3").put_object(Bucket=bucket, Key="uploads/b", Body=b"b")
    lab.create_role("role", _put_policy(bucket))
    other = open_lab(
        "nb",
        _session=boto3.session.Session(
            aws_access_key_id=server.access_key_id,
            aws_secret_access_key=server.secret_access_key,
        ),
    )
    assert other is not lab and other.name("uploads") != bucket

    assert lab.local_only("moving the clock") is False
    assert capsys.readouterr().out == "Skipped on real AWS: moving the clock\n"

    lines = lab.cleanup()
    assert len(lines) == 3 and all(": deleted" in line for line in lines)
    root = server.client("s3")
    assert root.list_buckets()["Buckets"] == []
    assert server.client("iam").list_users()["Users"] == []
    assert server.client("iam").list_roles()["Roles"] == []
    assert lab.cleanup() == []


def test_aws_path_cleanup_tolerates_resources_deleted_elsewhere(
    fake_aws: tuple[LocalS3, object],
) -> None:
    server, session = fake_aws
    lab = open_lab("nb2", _session=session)
    bucket = lab.create_bucket()
    server.client("s3").delete_bucket(Bucket=bucket)
    assert lab.cleanup() == [f"bucket {bucket}: already gone"]


def test_sigv2_header_signed_requests_follow_the_lab_clock(lab: Lab) -> None:
    assert lab.clock is not None
    bucket = lab.create_bucket()
    v2 = lab.client("s3", config=Config(signature_version="s3"))
    lab.clock.advance(hours=3)  # the Date header must move with the clock, or S3 sees skew
    v2.put_object(Bucket=bucket, Key="v2-header", Body=b"x")


def test_lab_repr_is_stable(lab: Lab) -> None:
    assert repr(lab) == (
        "Lab(target='local', notebook='test-lab', region='us-east-1', "
        "account_id='123456789012', clock at 2026-03-01T12:00:00Z)"
    )


def test_show_error_accepts_a_requests_response(
    lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    import requests

    answer = requests.get(f"{lab.endpoint_url}/no-such-bucket/k", timeout=10)
    show_error(answer)
    out = capsys.readouterr().out
    assert out == (
        "Status: 404\nCode: NoSuchBucket\nMessage: The specified bucket does not exist\n"
        "BucketName: no-such-bucket\n"
    )


def test_aws_region_defaults_to_the_sessions_region(fake_aws: tuple[LocalS3, object]) -> None:
    server, _ = fake_aws
    session = boto3.session.Session(
        aws_access_key_id=server.access_key_id,
        aws_secret_access_key=server.secret_access_key,
        region_name="eu-west-1",
    )
    lab = open_lab("nb3", _session=session)
    assert lab.region == "eu-west-1" and lab.s3.meta.region_name == "eu-west-1"
    assert open_lab("nb3", region="us-west-2", _session=session).region == "us-west-2"
    assert open_lab("nb3", _session=session) is lab


def test_aws_with_refused_credentials_is_a_target_error(fake_aws: tuple[LocalS3, object]) -> None:
    server, _ = fake_aws
    wrong = "wrong-secret-never-printed"
    session = boto3.session.Session(
        aws_access_key_id=server.access_key_id, aws_secret_access_key=wrong, region_name="us-east-1"
    )
    with pytest.raises(TargetError) as info:
        open_lab("nb4", _session=session)
    assert "SignatureDoesNotMatch" in str(info.value) and wrong not in str(info.value)
