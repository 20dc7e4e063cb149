"""Unit tests of what Block Public Access counts as public, and bucket policy validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from presignlab.locals3.authz.policy.eval import PolicyError, parse_policy
from presignlab.locals3.authz.public_access import (
    acl_body_is_owner_only,
    acl_is_public,
    acl_permission,
    parse_bucket_policy,
    policy_is_public,
    public_grants_allow,
)


def policy(
    principal: Any = "*", condition: dict[str, Any] | None = None, effect: str = "Allow"
) -> str:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bkt/*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.mark.parametrize(
    ("principal", "condition", "public"),
    [
        ("*", None, True),
        ({"AWS": "*"}, None, True),
        ({"AWS": "arn:aws:iam::111122223333:root"}, None, False),
        ("*", {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}, False),
        ("*", {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
        ("*", {"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
        ("*", {"StringLike": {"aws:SourceArn": "arn:aws:*"}}, True),
        ("*", {"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, True),
        ("*", {"StringEquals": {"s3:x-amz-acl": "private"}}, True),
        ("*", {"Bool": {"aws:SecureTransport": "true"}}, True),
    ],
)
def test_policy_is_public(principal: Any, condition: Any, public: bool) -> None:
    assert (
        policy_is_public(parse_policy(policy(principal, condition), resource_policy=True)) is public
    )


def test_deny_statements_are_never_public() -> None:
    assert not policy_is_public(parse_policy(policy(effect="Deny"), resource_policy=True))


def test_acl_is_public() -> None:
    assert acl_is_public({"x-amz-acl": "public-read"})
    assert acl_is_public({"x-amz-acl": "authenticated-read"})
    assert not acl_is_public({"x-amz-acl": "bucket-owner-full-control"})
    assert acl_is_public(
        {"x-amz-grant-read": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'}
    )
    assert not acl_is_public({"x-amz-grant-read": 'id="abc"'})


def test_acl_body_is_owner_only() -> None:
    owner = (
        '<Grant><Grantee xsi:type="CanonicalUser"><ID>o</ID></Grantee>'
        "<Permission>FULL_CONTROL</Permission></Grant>"
    )
    public = (
        '<Grant><Grantee xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>'
        "</Grantee><Permission>READ</Permission></Grant>"
    )
    assert acl_body_is_owner_only(f"<AccessControlPolicy>{owner}</AccessControlPolicy>".encode())
    assert not acl_body_is_owner_only(
        f"<AccessControlPolicy>{owner}{public}</AccessControlPolicy>".encode()
    )


def test_parse_bucket_policy() -> None:
    assert parse_bucket_policy(policy(), "bkt").statements
    with pytest.raises(PolicyError, match="Policy has invalid resource"):
        parse_bucket_policy(policy(), "other")
    wrong_action = json.loads(policy())
    wrong_action["Statement"][0]["Action"] = "ec2:RunInstances"
    with pytest.raises(PolicyError, match="Policy has invalid action"):
        parse_bucket_policy(json.dumps(wrong_action), "bkt")
    with pytest.raises(PolicyError, match="Missing required field Principal"):
        parse_bucket_policy(
            json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
            "bkt",
        )


def test_acl_permissions_and_public_grants() -> None:
    assert acl_permission("s3:GetObject") == ("object", "READ")
    assert acl_permission("s3:PutObject") == ("bucket", "WRITE")
    assert acl_permission("s3:PutBucketPolicy") is None
    read = frozenset({("AllUsers", "READ")})
    assert public_grants_allow(read, "READ", signed=False)
    assert not public_grants_allow(read, "WRITE", signed=True)
    signed_only = frozenset({("AuthenticatedUsers", "FULL_CONTROL")})
    assert public_grants_allow(signed_only, "WRITE", signed=True)
    assert not public_grants_allow(signed_only, "READ", signed=False)
