"""authorize() against state set up in moto (in-process ``mock_aws``) through boto3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from presignlab.locals3.authn.identity import Principal
from presignlab.locals3.authz import apply_new_bucket_defaults, authorize
from presignlab.locals3.wire.errors import S3Error
from presignlab.signing.sent_request import SentRequest

ACCOUNT = "123456789012"  # moto's default account
BUCKET = "lab-bucket"
ROOT = Principal("root", ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root")
NOW = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


def user(name: str) -> Principal:
    return Principal("user", ACCOUNT, f"arn:aws:iam::{ACCOUNT}:user/{name}", name)


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str, resource: str, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


@pytest.fixture
def aws() -> Iterator[tuple[Any, Any, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        apply_new_bucket_defaults(ACCOUNT, BUCKET)
        yield (
            s3,
            boto3.client("iam", region_name="us-east-1"),
            boto3.client("sts", region_name="us-east-1"),
        )


def check(
    principal: Principal | None,
    method: str,
    key: str | None = None,
    query: str = "",
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes | None = None,
    bucket: str | None = BUCKET,
) -> str:
    """``ok`` or the S3Error text authorize raises."""
    pairs = tuple((p.partition("=")[0], p.partition("=")[2]) for p in query.split("&") if p)
    path = "/" + "/".join(x for x in (bucket, key) if x)
    request = SentRequest(method, "localhost", path, pairs, headers)
    scheme = "anonymous" if principal is None else "sigv4-query"
    try:
        authorize(
            principal,
            request,
            bucket=bucket,
            key=key,
            account_id=ACCOUNT,
            scheme=scheme,
            now=NOW,
            body=body,
        )
    except S3Error as exc:
        return DENIED if exc.code == "AccessDenied" else str(exc)
    return "ok"


def denial(principal: Principal | None, method: str, key: str | None = None, **kwargs: Any) -> str:
    """The exact AccessDenied message authorize raises (it must raise one)."""
    pairs = tuple(
        (p.partition("=")[0], p.partition("=")[2]) for p in kwargs.pop("query", "").split("&") if p
    )
    path = "/" + "/".join(x for x in (BUCKET, key) if x)
    request = SentRequest(method, "localhost", path, pairs, kwargs.pop("headers", ()))
    scheme = "anonymous" if principal is None else "sigv4-query"
    with pytest.raises(S3Error) as info:
        authorize(
            principal, request, bucket=BUCKET, key=key, account_id=ACCOUNT, scheme=scheme,
            now=NOW, **kwargs,
        )  # fmt: skip
    assert info.value.code == "AccessDenied" and info.value.status == 403
    assert not info.value.extra
    return info.value.message


DENIED = "403 AccessDenied"
NO_ACLS = "400 AccessControlListNotSupported: The bucket does not allow ACLs"


def test_new_bucket_defaults_and_they_can_be_changed(aws: Any) -> None:
    s3, _, _ = aws
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    rules = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    assert (
        s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"][0][
            "ObjectOwnership"
        ]
        == "ObjectWriter"
    )
    apply_new_bucket_defaults(ACCOUNT, "no-such-bucket")  # no error


def test_defaults_keep_an_ownership_sent_with_create_bucket(aws: Any) -> None:
    s3, _, _ = aws
    s3.create_bucket(Bucket="writer-bucket", ObjectOwnership="ObjectWriter")
    apply_new_bucket_defaults(ACCOUNT, "writer-bucket")
    rules = s3.get_bucket_ownership_controls(Bucket="writer-bucket")["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "ObjectWriter"}]


def test_root_is_allowed(aws: Any) -> None:
    assert check(ROOT, "PUT", "uploads/x") == "ok"
    assert check(ROOT, "GET", None, bucket=None) == "ok"
    assert check(ROOT, "PUT", None, bucket="new-bucket") == "ok"


def test_user_without_policy_is_denied(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="nobody")
    assert check(user("nobody"), "PUT", "uploads/x") == DENIED
    assert check(user("nobody"), "GET", None, bucket=None) == DENIED


def test_user_policy_scoped_to_a_prefix(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="alice")
    iam.put_user_policy(
        UserName="alice",
        PolicyName="uploads",
        PolicyDocument=doc(allow("s3:PutObject", f"arn:aws:s3:::{BUCKET}/uploads/*")),
    )
    assert check(user("alice"), "PUT", "uploads/x") == "ok"
    assert check(user("alice"), "PUT", "other/x") == DENIED
    assert check(user("alice"), "GET", "uploads/x") == DENIED


def test_attached_managed_policy_and_username_variable(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="bob")
    arn = iam.create_policy(
        PolicyName="home",
        PolicyDocument=doc(allow("s3:*Object", f"arn:aws:s3:::{BUCKET}/home/${{aws:username}}/*")),
    )["Policy"]["Arn"]
    iam.attach_user_policy(UserName="bob", PolicyArn=arn)
    assert check(user("bob"), "GET", "home/bob/f") == "ok"
    assert check(user("bob"), "GET", "home/alice/f") == DENIED


def test_group_policy(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="carol")
    iam.create_group(GroupName="uploaders")
    iam.put_group_policy(
        GroupName="uploaders",
        PolicyName="p",
        PolicyDocument=doc(allow("s3:PutObject", f"arn:aws:s3:::{BUCKET}/*")),
    )
    assert check(user("carol"), "PUT", "a") == DENIED
    iam.add_user_to_group(GroupName="uploaders", UserName="carol")
    assert check(user("carol"), "PUT", "a") == "ok"


def test_assumed_role_session(aws: Any) -> None:
    _, iam, sts = aws
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    iam.create_role(RoleName="Uploader", AssumeRolePolicyDocument=trust)
    arn = iam.create_policy(PolicyName="put", PolicyDocument=doc(allow("s3:PutObject", "*")))[
        "Policy"
    ]["Arn"]
    iam.attach_role_policy(RoleName="Uploader", PolicyArn=arn)
    session_arn = sts.assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Uploader", RoleSessionName="s1"
    )["AssumedRoleUser"]["Arn"]
    session = Principal("assumed-role", ACCOUNT, session_arn, "Uploader")
    assert check(session, "PUT", "k") == "ok"
    assert check(session, "DELETE", "k") == DENIED


def test_get_session_token_session_uses_the_users_policies(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="dave")
    iam.put_user_policy(
        UserName="dave", PolicyName="p", PolicyDocument=doc(allow("s3:GetObject", "*"))
    )
    session = Principal("session", ACCOUNT, f"arn:aws:iam::{ACCOUNT}:user/dave", "dave")
    assert check(session, "GET", "k") == "ok"
    assert check(session, "PUT", "k") == DENIED


def test_only_the_root_credential_acts_as_root(aws: Any) -> None:
    """The root's own sessions carry kind ``root``; an ARN ending in ``:root`` proves nothing."""
    assert check(ROOT, "PUT", "k") == "ok"
    assert check(ROOT, "DELETE", None, "policy=") == "ok"
    lookalike = Principal("session", ACCOUNT, ROOT.arn, None)
    assert check(lookalike, "PUT", "k") == DENIED
    role_session = Principal(
        "assumed-role", ACCOUNT, f"arn:aws:sts::{ACCOUNT}:assumed-role/R/x:root", "R"
    )
    assert check(role_session, "GET", "k") == DENIED


def test_bucket_policy_deny_beats_identity_allow(aws: Any) -> None:
    s3, iam, _ = aws
    iam.create_user(UserName="erin")
    iam.put_user_policy(UserName="erin", PolicyName="all", PolicyDocument=doc(allow("s3:*", "*")))
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=doc(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/locked/*",
            }
        ),
    )
    assert check(user("erin"), "PUT", "open/x") == "ok"
    assert check(user("erin"), "PUT", "locked/x") == DENIED
    assert check(ROOT, "PUT", "locked/x") == DENIED


def test_bucket_policy_naming_the_user_allows_without_identity_policy(aws: Any) -> None:
    s3, iam, _ = aws
    iam.create_user(UserName="frank")
    iam.create_user(UserName="grace")
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/frank"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ),
    )
    assert check(user("frank"), "GET", "k") == "ok"
    assert check(user("grace"), "GET", "k") == DENIED


def test_root_keeps_access_to_a_locking_bucket_policy(aws: Any) -> None:
    s3, _, _ = aws
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=doc(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            }
        ),
    )
    assert check(ROOT, "GET", "k") == DENIED
    assert check(ROOT, "DELETE", None, "policy=") == "ok"


PUBLIC_READ = doc(
    {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
)


def test_anonymous_needs_a_public_bucket_policy_and_relaxed_block(aws: Any) -> None:
    s3, _, _ = aws
    assert check(None, "GET", "k") == DENIED
    assert (
        check(ROOT, "PUT", None, "policy=", body=PUBLIC_READ.encode()) == DENIED
    )  # BlockPublicPolicy
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True,
        },
    )
    assert check(ROOT, "PUT", None, "policy=", body=PUBLIC_READ.encode()) == "ok"
    s3.put_bucket_policy(Bucket=BUCKET, Policy=PUBLIC_READ)
    assert check(None, "GET", "k") == DENIED  # RestrictPublicBuckets
    s3.delete_public_access_block(Bucket=BUCKET)
    assert check(None, "GET", "k") == "ok"
    assert check(None, "PUT", "k") == DENIED
    assert check(None, "GET", None, bucket=None) == DENIED


def test_limited_policy_is_not_public(aws: Any) -> None:
    limited = doc(
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}},
        }
    )
    assert check(ROOT, "PUT", None, "policy=", body=limited.encode()) == "ok"
    malformed = check(ROOT, "PUT", None, "policy=", body=b"not a policy")
    assert malformed.startswith("400 MalformedPolicy: ")


def test_public_acl_on_a_default_bucket_is_not_supported(aws: Any) -> None:
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "public-read"),)) == NO_ACLS
    assert check(ROOT, "PUT", "k", "x-amz-acl=private") == NO_ACLS
    assert (
        check(ROOT, "POST", "k", "uploads=", headers=(("x-amz-grant-read", "id=abc"),)) == NO_ACLS
    )
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "bucket-owner-full-control"),)) == "ok"
    assert (
        check(
            ROOT,
            "PUT",
            "k",
            "acl=",
            body=b"<AccessControlPolicy><AccessControlList><Grant>"
            b'<Grantee xsi:type="CanonicalUser"><ID>x</ID></Grantee><Permission>FULL_CONTROL</Permission>'
            b"</Grant></AccessControlList></AccessControlPolicy>",
        )
        == "ok"
    )
    assert check(
        ROOT, "PUT", None, headers=(("x-amz-acl", "public-read"),), bucket="acl-bucket"
    ) == (
        "400 InvalidBucketAclWithObjectOwnership: Bucket cannot have ACLs set with ObjectOwnership's "
        "BucketOwnerEnforced setting"
    )


def test_acl_headers_need_put_object_acl_permission(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="heidi")
    iam.put_user_policy(
        UserName="heidi", PolicyName="p", PolicyDocument=doc(allow("s3:PutObject", "*"))
    )
    assert (
        check(user("heidi"), "PUT", "k", headers=(("x-amz-acl", "bucket-owner-full-control"),))
        == DENIED
    )
    assert (
        check(user("heidi"), "PUT", "k", headers=(("x-amz-acl", "public-read"),)) == DENIED
    )  # IAM first


def test_acls_enabled_with_block_public_acls(aws: Any) -> None:
    s3, _, _ = aws
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "public-read"),)) == DENIED
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "authenticated-read"),)) == DENIED
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "private"),)) == "ok"
    s3.delete_public_access_block(Bucket=BUCKET)
    assert check(ROOT, "PUT", "k", headers=(("x-amz-acl", "public-read"),)) == "ok"


def test_condition_on_the_acl_header(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="ivan")
    iam.put_user_policy(
        UserName="ivan",
        PolicyName="p",
        PolicyDocument=doc(
            allow(
                "s3:PutObject*",
                "*",
                Condition={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            )
        ),
    )
    assert (
        check(user("ivan"), "PUT", "k", headers=(("x-amz-acl", "bucket-owner-full-control"),))
        == "ok"
    )
    assert check(user("ivan"), "PUT", "k") == DENIED


def test_a_missing_bucket_is_no_such_bucket_for_anyone(aws: Any) -> None:
    missing = "404 NoSuchBucket: The specified bucket does not exist"
    assert check(None, "GET", "k", bucket="no-such-bucket") == missing
    assert check(ROOT, "PUT", None, "policy=", bucket="no-such-bucket") == missing


OTHER_ACCOUNT = "210987654321"


def test_cross_account_needs_both_identity_and_bucket_policy(aws: Any, monkeypatch: Any) -> None:
    _, iam, _ = aws
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)
    other = boto3.client("s3", region_name="us-east-1")
    other.create_bucket(Bucket="their-bucket")
    apply_new_bucket_defaults(OTHER_ACCOUNT, "their-bucket")
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::their-bucket/shared/*",
    }
    other.put_bucket_policy(Bucket="their-bucket", Policy=doc(grant))
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    iam.create_user(UserName="judy")
    iam.put_user_policy(
        UserName="judy", PolicyName="p", PolicyDocument=doc(allow("s3:GetObject", "*"))
    )
    iam.create_user(UserName="ken")
    assert check(user("judy"), "GET", "shared/a", bucket="their-bucket") == "ok"
    assert check(user("judy"), "GET", "private/a", bucket="their-bucket") == DENIED
    assert check(user("ken"), "GET", "shared/a", bucket="their-bucket") == DENIED
    assert check(ROOT, "GET", "shared/a", bucket="their-bucket") == "ok"
    assert check(ROOT, "PUT", "shared/a", bucket="their-bucket") == DENIED


def test_role_permissions_boundary_limits_its_policies(aws: Any) -> None:
    _, iam, sts = aws
    boundary = iam.create_policy(PolicyName="b", PolicyDocument=doc(allow("s3:GetObject", "*")))
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "sts:AssumeRole",
    }
    iam.create_role(
        RoleName="Bounded",
        AssumeRolePolicyDocument=doc(trust),
        PermissionsBoundary=boundary["Policy"]["Arn"],
    )
    iam.put_role_policy(
        RoleName="Bounded", PolicyName="all", PolicyDocument=doc(allow("s3:*", "*"))
    )
    arn = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Bounded", RoleSessionName="s2")
    session = Principal("assumed-role", ACCOUNT, arn["AssumedRoleUser"]["Arn"], "Bounded")
    assert check(session, "GET", "k") == "ok"
    assert check(session, "PUT", "k") == DENIED


def test_copy_object_needs_read_on_the_source(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="leo")
    iam.put_user_policy(
        UserName="leo",
        PolicyName="p",
        PolicyDocument=doc(allow("s3:PutObject", f"arn:aws:s3:::{BUCKET}/dst/*")),
    )
    copy = (("x-amz-copy-source", f"/{BUCKET}/src/a"),)
    assert check(user("leo"), "PUT", "dst/a", headers=copy) == DENIED
    iam.put_user_policy(
        UserName="leo",
        PolicyName="read",
        PolicyDocument=doc(allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/src/*")),
    )
    assert check(user("leo"), "PUT", "dst/a", headers=copy) == "ok"


def test_public_acl_allows_anonymous_reads_only_while_acls_count(aws: Any) -> None:
    s3, _, _ = aws
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="open", Body=b"1", ACL="public-read")
    s3.put_object(Bucket=BUCKET, Key="closed", Body=b"1")
    assert check(None, "GET", "open") == "ok"
    assert check(None, "GET", "closed") == DENIED
    assert check(None, "PUT", "open") == DENIED
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    assert check(None, "GET", "open") == DENIED


def test_a_same_account_refusal_names_caller_action_resource_and_reason(aws: Any) -> None:
    """AUTHZ-02: S3's access-denied messages for callers of the bucket owner's account."""
    s3, iam, _ = aws
    iam.create_user(UserName="nina")
    assert denial(user("nina"), "PUT", "a.txt") == (
        f"User: arn:aws:iam::{ACCOUNT}:user/nina is not authorized to perform: s3:PutObject on "
        f'resource: "arn:aws:s3:::{BUCKET}/a.txt" because no identity-based policy allows the '
        "s3:PutObject action"
    )
    iam.put_user_policy(
        UserName="nina",
        PolicyName="p",
        PolicyDocument=doc(
            allow("s3:*", "*"), {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
        ),
    )
    assert denial(user("nina"), "DELETE", "a.txt").endswith(
        'on resource: "arn:aws:s3:::lab-bucket/a.txt" with an explicit deny in an identity-based '
        "policy"
    )
    s3.put_bucket_policy(
        Bucket=BUCKET,
        Policy=doc(
            {
                "Effect": "Deny",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/nina"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ),
    )
    assert denial(user("nina"), "GET", "a.txt") == (
        f"User: arn:aws:iam::{ACCOUNT}:user/nina is not authorized to perform: s3:GetObject on "
        f'resource: "arn:aws:s3:::{BUCKET}/a.txt" with an explicit deny in a resource-based policy'
    )


def test_the_refusal_names_the_acl_permission_an_acl_needs(aws: Any) -> None:
    _, iam, _ = aws
    iam.create_user(UserName="otto")
    iam.put_user_policy(
        UserName="otto", PolicyName="p", PolicyDocument=doc(allow("s3:PutObject", "*"))
    )
    message = denial(
        user("otto"), "PUT", "k", headers=(("x-amz-acl", "bucket-owner-full-control"),)
    )
    assert "perform: s3:PutObjectAcl on resource" in message


def test_anonymous_and_cross_account_refusals_stay_access_denied(aws: Any) -> None:
    """AUTHZ-03: context is only for callers of the bucket owner's account."""
    assert denial(None, "GET", "a.txt") == "Access Denied"
    stranger = Principal("user", OTHER_ACCOUNT, f"arn:aws:iam::{OTHER_ACCOUNT}:user/x", "x")
    assert denial(stranger, "GET", "a.txt") == "Access Denied"
