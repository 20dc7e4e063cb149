"""Unit tests of the pure IAM policy evaluator and its condition operators."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from presignlab.locals3.authz.policy.conditions import (
    ConditionError,
    condition_matches,
    split_operator,
)
from presignlab.locals3.authz.policy.eval import PolicyError, evaluate, parse_policy

ACCOUNT = "111122223333"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/Uploader/s1"
OBJ = "arn:aws:s3:::bkt/uploads/a.txt"


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    out: dict[str, Any] = {"Statement": list(statements)}
    if version:
        out["Version"] = version
    return out


def allow(action: Any = "s3:PutObject", resource: Any = OBJ, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "s3:PutObject", resource: Any = OBJ, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def run(
    *docs: Any,
    action: str = "s3:PutObject",
    resource: str = OBJ,
    caller: str | None = USER,
    context: dict[str, Any] | None = None,
    **kw: Any,
) -> str:
    return evaluate(
        list(docs),
        principal_arn=caller,
        action=action,
        resource=resource,
        context=context or {},
        **kw,
    )


# --- the three outcomes -------------------------------------------------------------------


def test_no_policy_is_implicit_deny() -> None:
    assert run() == "ImplicitDeny"


def test_allow_then_explicit_deny_wins_in_any_order() -> None:
    assert run(doc(allow())) == "Allow"
    assert run(doc(allow()), doc(deny())) == "Deny"
    assert run(doc(deny(), allow())) == "Deny"


def test_statement_for_other_action_does_not_apply() -> None:
    assert run(doc(allow("s3:GetObject"))) == "ImplicitDeny"


# --- Action / NotAction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "hit"),
    [
        ("s3:*", True),
        ("*", True),
        ("s3:Put*", True),
        ("S3:putobject", True),
        ("s3:P?tObject", True),
        ("s3:Get*", False),
        ("s3:PutObjectAcl", False),
        (["s3:GetObject", "s3:PutObject"], True),
    ],
)
def test_action_wildcards_are_case_insensitive(pattern: Any, hit: bool) -> None:
    assert run(doc(allow(pattern))) == ("Allow" if hit else "ImplicitDeny")


def test_not_action() -> None:
    statement = {"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "*"}
    assert run(doc(statement)) == "Allow"
    assert run(doc(statement), action="s3:DeleteObject") == "ImplicitDeny"


# --- Resource / NotResource ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "hit"),
    [
        ("*", True),
        ("arn:aws:s3:::bkt/*", True),
        ("arn:aws:s3:::bkt/uploads/*", True),
        ("arn:aws:s3:::bkt/uploads/?.txt", True),
        ("arn:aws:s3:::bkt/UPLOADS/*", False),
        ("arn:aws:s3:::bkt", False),
        ("arn:aws:s3:::bkt/other/*", False),
    ],
)
def test_resource_wildcards_are_case_sensitive(pattern: str, hit: bool) -> None:
    assert run(doc(allow(resource=pattern))) == ("Allow" if hit else "ImplicitDeny")


def test_not_resource() -> None:
    statement = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::bkt/uploads/*"}
    assert run(doc(allow(), statement)) == "Allow"
    assert run(doc(allow(resource="*"), statement), resource="arn:aws:s3:::bkt/x") == "Deny"


# --- policy variables ---------------------------------------------------------------------


def test_username_variable_in_resource() -> None:
    policy = doc(allow(resource="arn:aws:s3:::bkt/home/${aws:username}/*"))
    ctx = {"aws:username": "alice"}
    assert run(policy, resource="arn:aws:s3:::bkt/home/alice/f", context=ctx) == "Allow"
    assert run(policy, resource="arn:aws:s3:::bkt/home/bob/f", context=ctx) == "ImplicitDeny"
    assert run(policy, resource="arn:aws:s3:::bkt/home/alice/f") == "ImplicitDeny"  # key absent


def test_variables_only_with_version_2012() -> None:
    literal = "arn:aws:s3:::bkt/home/${aws:username}/f"
    old = doc(allow(resource=literal), version="2008-10-17")
    assert run(old, resource=literal, context={"aws:username": "alice"}) == "Allow"
    assert (
        run(old, resource="arn:aws:s3:::bkt/home/alice/f", context={"aws:username": "alice"})
        == "ImplicitDeny"
    )


def test_variable_default_and_escapes() -> None:
    policy = doc(allow(resource="arn:aws:s3:::bkt/${aws:username, 'shared'}/${*}"))
    assert run(policy, resource="arn:aws:s3:::bkt/shared/*") == "Allow"
    assert (
        run(policy, resource="arn:aws:s3:::bkt/shared/x") == "ImplicitDeny"
    )  # ${*} is a literal *


# --- conditions ---------------------------------------------------------------------------


def cond(op: str, key: str, wanted: Any, **ctx: Any) -> bool:
    values = wanted if isinstance(wanted, list) else [wanted]
    context = {
        k.replace("__", ":").lower(): (v if isinstance(v, list) else [v]) for k, v in ctx.items()
    }
    return condition_matches(op, key, [str(v) for v in values], context)


def test_string_operators() -> None:
    assert cond("StringEquals", "s3:x-amz-acl", "private", **{"s3__x-amz-acl": "private"})
    assert cond("StringEquals", "S3:X-AMZ-ACL", ["a", "private"], **{"s3__x-amz-acl": "private"})
    assert not cond("StringEquals", "s3:x-amz-acl", "Private", **{"s3__x-amz-acl": "private"})
    assert cond("StringEqualsIgnoreCase", "s3:x-amz-acl", "Private", **{"s3__x-amz-acl": "private"})
    assert cond("StringLike", "s3:prefix", "home/*", s3__prefix="home/a")
    assert not cond("StringLike", "s3:prefix", "home/?", s3__prefix="home/ab")


def test_negated_operators_nor_and_missing_key() -> None:
    assert cond("StringNotEquals", "k", ["a", "b"], k="c")
    assert not cond("StringNotEquals", "k", ["a", "b"], k="b")
    assert cond("StringNotEquals", "k", "a")  # key absent: true
    assert not cond("StringEquals", "k", "a")  # key absent: false
    assert cond("StringNotLike", "k", "a*", k="ba")
    assert cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", aws__SourceIp="127.0.0.1")


def test_if_exists_and_null() -> None:
    assert cond("StringEqualsIfExists", "k", "a")
    assert not cond("StringEqualsIfExists", "k", "a", k="b")
    assert cond("Null", "k", "true") and not cond("Null", "k", "false")
    assert cond("Null", "k", "false", k="x")


def test_numeric_date_bool_ip_arn() -> None:
    assert cond("NumericLessThan", "s3:signatureAge", 600000, s3__signatureAge="5000")
    assert not cond("NumericGreaterThanEquals", "s3:max-keys", 10, **{"s3__max-keys": "9"})
    assert not cond("NumericLessThan", "k", 5, k="not-a-number")
    assert cond(
        "DateLessThan",
        "aws:CurrentTime",
        "2030-01-01T00:00:00Z",
        aws__CurrentTime="2026-11-29T04:00:00Z",
    )
    assert cond(
        "DateGreaterThan", "aws:CurrentTime", "1700000000", aws__CurrentTime="2026-11-29T04:00:00Z"
    )
    assert cond("Bool", "aws:SecureTransport", "false", aws__SecureTransport="false")
    assert not cond("Bool", "aws:SecureTransport", True, aws__SecureTransport="false")
    assert cond("IpAddress", "aws:SourceIp", ["127.0.0.0/8", "::1/128"], aws__SourceIp="127.0.0.1")
    assert cond(
        "ArnLike",
        "aws:PrincipalArn",
        "arn:aws:iam::*:role/Up*",
        aws__PrincipalArn="arn:aws:iam::1:role/Uploader",
    )
    assert cond("ArnEquals", "aws:SourceArn", "arn:aws:s3:::b", aws__SourceArn="arn:aws:s3:::b")
    assert not cond("ArnLike", "aws:SourceArn", "*", aws__SourceArn="not-an-arn")


def test_set_qualifiers() -> None:
    assert cond("ForAnyValue:StringEquals", "k", ["a", "z"], k=["x", "a"])
    assert not cond("ForAnyValue:StringEquals", "k", "a")
    assert cond("ForAllValues:StringEquals", "k", ["a", "b"], k=["a", "b"])
    assert not cond("ForAllValues:StringEquals", "k", ["a"], k=["a", "b"])
    assert cond("ForAllValues:StringEquals", "k", "a")  # key absent: true


def test_condition_variable_substitution() -> None:
    assert cond(
        "StringLike",
        "s3:prefix",
        "home/${aws:username}/*",
        s3__prefix="home/alice/x",
        aws__username="alice",
    )


def test_condition_block_is_and_of_operators_and_keys() -> None:
    statement = allow(
        Condition={
            "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
            "Bool": {"aws:SecureTransport": "false"},
        }
    )
    good = {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "false"}
    assert run(doc(statement), context=good) == "Allow"
    assert run(doc(statement), context={**good, "aws:SecureTransport": "true"}) == "ImplicitDeny"
    assert run(doc(statement), context={"aws:SecureTransport": False}) == "ImplicitDeny"


def test_split_operator_rejects_unknown() -> None:
    assert split_operator("ForAnyValue:StringLikeIfExists") == ("foranyvalue", "StringLike", True)
    with pytest.raises(ConditionError):
        split_operator("StringSortOf")
    with pytest.raises(ConditionError):
        split_operator("ForSome:StringEquals")


# --- principals (resource policies) -------------------------------------------------------


def bucket_policy(principal: Any, effect: str = "Allow", key: str = "Principal") -> dict[str, Any]:
    return doc(
        {
            "Effect": effect,
            key: principal,
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bkt/*",
        }
    )


def get(policy: dict[str, Any], caller: str | None, **kw: Any) -> str:
    return run(policy, action="s3:GetObject", caller=caller, **kw)


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["*"]}])
def test_wildcard_principal_matches_everyone_even_anonymous(principal: Any) -> None:
    assert get(bucket_policy(principal), None) == "Allow"
    assert get(bucket_policy(principal), USER) == "Allow"


def test_user_and_role_principals() -> None:
    assert get(bucket_policy({"AWS": USER}), USER) == "Allow"
    assert get(bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}), USER) == "ImplicitDeny"
    assert get(bucket_policy({"AWS": USER}), None) == "ImplicitDeny"
    role = f"arn:aws:iam::{ACCOUNT}:role/Uploader"
    assert get(bucket_policy({"AWS": role}), SESSION) == "Allow"
    assert (
        get(bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:role/team/Uploader"}), SESSION)
        == "Allow"
    )
    assert get(bucket_policy({"AWS": SESSION}), SESSION) == "Allow"
    assert get(bucket_policy({"Service": "logging.s3.amazonaws.com"}), USER) == "ImplicitDeny"


@pytest.mark.parametrize("account", [ACCOUNT, ROOT])
def test_account_principal(account: str) -> None:
    assert get(bucket_policy({"AWS": account}), ROOT) == "Allow"
    assert get(bucket_policy({"AWS": account}), USER) == "Allow"  # cross-account delegation
    assert (
        get(bucket_policy({"AWS": account}), USER, account_allow_matches_members=False)
        == "ImplicitDeny"
    )
    assert (
        get(bucket_policy({"AWS": account}, "Deny"), USER, account_allow_matches_members=False)
        == "Deny"
    )
    assert (
        get(bucket_policy({"AWS": account}), "arn:aws:iam::999988887777:user/x") == "ImplicitDeny"
    )


def test_not_principal() -> None:
    policy = bucket_policy({"AWS": [USER, ROOT]}, "Deny", "NotPrincipal")
    assert get(policy, USER) == "ImplicitDeny"
    assert get(policy, ROOT) == "ImplicitDeny"
    assert get(policy, f"arn:aws:iam::{ACCOUNT}:user/bob") == "Deny"
    assert get(policy, None) == "Deny"


# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "first byte must be '{'"),
        ("{bad", "first byte must be '{'"),
        ("[]", "first byte"),
        (json.dumps({"Version": "2012-10-17"}), "Missing required field Statement"),
        (
            json.dumps(doc({"Effect": "Maybe", "Action": "s3:*", "Resource": "*"})),
            "Invalid effect: Maybe",
        ),
        (json.dumps(doc({"Effect": "Allow", "Resource": "*"})), "Missing required field Action"),
        (json.dumps(doc({"Effect": "Allow", "Action": "s3:*"})), "Missing required field Resource"),
        (
            json.dumps(doc({"Effect": "Allow", "Action": "nonsense", "Resource": "*"})),
            "invalid action",
        ),
        (json.dumps(doc(allow(Condition={"StringSortOf": {"k": "v"}}))), "Invalid Condition type"),
        (json.dumps(doc(allow(Foo=1))), "Unknown field Foo"),
        (json.dumps(doc(allow(), version="2020-01-01")), "Invalid Version"),
    ],
)
def test_bad_documents_raise_policy_error(document: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("(", r"\(")):
        parse_policy(document)


def test_resource_policy_needs_principal_and_identity_policy_must_not_have_one() -> None:
    with pytest.raises(PolicyError, match="Missing required field Principal"):
        parse_policy(doc(allow()), resource_policy=True)
    with pytest.raises(PolicyError):
        parse_policy(bucket_policy("*"), resource_policy=False)
    with pytest.raises(PolicyError, match="Invalid principal"):
        parse_policy(bucket_policy({"Nobody": "x"}), resource_policy=True)
    assert parse_policy(json.dumps(bucket_policy("*")).encode(), resource_policy=True).statements


def test_single_statement_object_and_numbers_are_accepted() -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": allow(Condition={"NumericLessThan": {"s3:max-keys": 10}}),
    }
    assert run(policy, context={"s3:max-keys": "9"}) == "Allow"


@given(st.text(alphabet="abc/*?", max_size=12), st.text(alphabet="abc/", max_size=12))
def test_star_pattern_matches_everything_and_literal_matches_itself(
    pattern: str, text: str
) -> None:
    assert run(doc(allow(resource="*")), resource=text) == "Allow"
    if "*" not in text and "?" not in text:
        assert run(doc(allow(resource=text)), resource=text) == "Allow"
