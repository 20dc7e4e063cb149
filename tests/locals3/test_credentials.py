"""The credential store over root, IAM users' keys and STS sessions, seen through the endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from botocore.exceptions import ClientError

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "presign-lab-cred"
ALLOW_ALL_S3 = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
)
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
)


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_root_credential(local_s3: LocalS3) -> None:
    root = local_s3.store.lookup(local_s3.access_key_id)
    assert root is not None and root.principal.kind == "root"
    assert root.principal.arn == "arn:aws:iam::123456789012:root"
    assert local_s3.store.lookup("AKIANOTKNOWN00000000") is None
    assert local_s3.client("sts").get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:root"


def test_iam_user_keys_live_inactive_deleted(local_s3: LocalS3) -> None:
    iam = local_s3.client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    found = local_s3.store.lookup(key["AccessKeyId"])
    assert found is not None and found.active and found.principal.kind == "user"
    assert (
        found.principal.arn == "arn:aws:iam::123456789012:user/alice"
        and found.principal.name == "alice"
    )
    alice_sts = local_s3.client(
        "sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    assert alice_sts.get_caller_identity()["Arn"].endswith(":user/alice")
    iam.update_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    inactive = local_s3.store.lookup(key["AccessKeyId"])
    assert inactive is not None and not inactive.active
    with pytest.raises(ClientError) as info:
        alice_sts.get_caller_identity()
    assert _code(info) == "InvalidClientTokenId"
    iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    assert local_s3.store.lookup(key["AccessKeyId"]) is None
    alice_s3 = local_s3.client(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    with pytest.raises(ClientError) as info:
        alice_s3.list_buckets()
    assert _code(info) == "InvalidAccessKeyId"


def test_iam_groups_roles_and_policies(local_s3: LocalS3) -> None:
    iam = local_s3.client("iam")
    arn = iam.create_policy(PolicyName="s3-all", PolicyDocument=ALLOW_ALL_S3)["Policy"]["Arn"]
    iam.create_group(GroupName="uploaders")
    iam.attach_group_policy(GroupName="uploaders", PolicyArn=arn)
    iam.create_user(UserName="carol")
    iam.add_user_to_group(GroupName="uploaders", UserName="carol")
    iam.create_role(RoleName="uploader", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="uploader", PolicyArn=arn)
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="carol")["Groups"]] == [
        "uploaders"
    ]
    assert (
        iam.list_attached_role_policies(RoleName="uploader")["AttachedPolicies"][0]["PolicyArn"]
        == arn
    )


def test_wrong_secret_on_iam_is_a_query_api_error(local_s3: LocalS3) -> None:
    iam = local_s3.client(
        "iam", aws_access_key_id=local_s3.access_key_id, aws_secret_access_key="x" * 40
    )
    with pytest.raises(ClientError) as info:
        iam.list_users()
    assert _code(info) == "SignatureDoesNotMatch"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_assume_role_session_and_its_expiry(local_s3: LocalS3) -> None:
    local_s3.client().create_bucket(Bucket=BUCKET)
    iam = local_s3.client("iam")
    iam.create_role(RoleName="uploader", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(RoleName="uploader", PolicyName="s3", PolicyDocument=ALLOW_ALL_S3)
    frozen = local_s3.clock.set(datetime.now(UTC).replace(microsecond=0))
    creds = local_s3.client("sts").assume_role(
        RoleArn="arn:aws:iam::123456789012:role/uploader",
        RoleSessionName="demo",
        DurationSeconds=900,
    )["Credentials"]
    assert creds["Expiration"] == frozen + timedelta(seconds=900)
    found = local_s3.store.lookup(creds["AccessKeyId"])
    assert found is not None and found.principal.kind == "assumed-role"
    assert found.principal.arn == "arn:aws:sts::123456789012:assumed-role/uploader/demo"
    assert local_s3.store.lookup_token(creds["SessionToken"]) == found
    role_s3 = local_s3.client(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    url = role_s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "r.txt"}, ExpiresIn=3600
    )
    assert requests.put(url, data=b"x", timeout=10).status_code == 200
    local_s3.clock.advance(minutes=20)
    answer = requests.put(url, data=b"x", timeout=10)
    assert answer.status_code == 400 and error_code(answer.content) == "ExpiredToken"


def test_get_session_token_is_recorded_and_dated_on_the_clock(local_s3: LocalS3) -> None:
    iam = local_s3.client("iam")
    iam.create_user(UserName="dave")
    iam.put_user_policy(UserName="dave", PolicyName="s3", PolicyDocument=ALLOW_ALL_S3)
    key = iam.create_access_key(UserName="dave")["AccessKey"]
    frozen = local_s3.clock.set(datetime.now(UTC).replace(microsecond=0))
    dave_sts = local_s3.client(
        "sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    creds = dave_sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert (
        creds["AccessKeyId"].startswith("ASIA") and creds["AccessKeyId"] != local_s3.access_key_id
    )
    assert creds["Expiration"] == frozen + timedelta(seconds=900)
    found = local_s3.store.lookup(creds["AccessKeyId"])
    assert (
        found is not None and found.principal.kind == "session" and found.principal.name == "dave"
    )
    assert creds["SecretAccessKey"] not in repr(found) and creds["SessionToken"] not in repr(found)
    session_sts = local_s3.client(
        "sts",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert session_sts.get_caller_identity()["Arn"].endswith(":user/dave")
    with pytest.raises(ClientError) as info:
        session_sts.get_session_token()
    assert _code(info) == "AccessDenied"
    root_creds = local_s3.client("sts").get_session_token(DurationSeconds=7200)["Credentials"]
    assert root_creds["Expiration"] == frozen + timedelta(seconds=3600)


def test_root_session_acts_as_root(local_s3: LocalS3) -> None:
    local_s3.client().create_bucket(Bucket=BUCKET)
    creds = local_s3.client("sts").get_session_token()["Credentials"]
    session = local_s3.client(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert [b["Name"] for b in session.list_buckets()["Buckets"]] == [BUCKET]
    url = session.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "s.txt"})
    assert requests.put(url, data=b"x", timeout=10).status_code == 200
