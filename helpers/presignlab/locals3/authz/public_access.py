"""What S3 Block Public Access and Object Ownership count as "public" or as "an ACL".

Facts (Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section
"The meaning of 'public'", and "Controlling ownership of objects and disabling ACLs"):

* ACLs granting anything to the ``AllUsers`` or ``AuthenticatedUsers`` groups are public; the
  canned ACLs ``public-read``, ``public-read-write`` and ``authenticated-read`` do that;
* a bucket policy is public unless every ``Allow`` statement is limited to fixed principals, or
  has a condition fixing one of a short list of keys (``aws:SourceIp``, ``aws:SourceArn``,
  ``aws:SourceVpc``, ``aws:SourceVpce``, ``aws:SourceOwner``, ``aws:SourceAccount``,
  ``s3:x-amz-server-side-encryption-aws-kms-key-id``, ``aws:userid``, ``s3:DataAccessPointArn``,
  ``s3:DataAccessPointAccount``) to values without wildcards;
* with ``BucketOwnerEnforced`` only the ``bucket-owner-full-control`` canned ACL (or its XML
  equivalent) is accepted on writes.

UNCONFIRMED choices:

* ``aws:PrincipalOrgID``, ``aws:PrincipalAccount`` and ``aws:PrincipalArn`` also count as
  limiting keys; an ``aws:SourceIp`` range counts only if its prefix is at least ``/8`` (IPv4)
  or ``/32`` (IPv6); ``...IfExists`` and ``ForAllValues:`` conditions never limit;
* a value with a ``*`` or ``?`` wildcard never limits (AWS names ``aws:userid`` ``AROLEID:*``);
* an XML ACL body counts as "owner full control only" when it has exactly one grant and that
  grant is ``FULL_CONTROL`` to a ``CanonicalUser`` (the owner id is not compared);
* :func:`parse_bucket_policy` (what PutBucketPolicy accepts) wants every Action to be ``*`` or
  ``s3:…`` (``Policy has invalid action``) and every Resource to be ``*`` or an
  ``arn:aws:s3:::`` ARN whose bucket part matches the bucket (``Policy has invalid resource``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from .policy.conditions import split_operator, wildcard_regex
from .policy.eval import Policy, PolicyError, Statement, parse_policy

__all__ = [
    "OWNER_FULL_CONTROL",
    "PUBLIC_CANNED_ACLS",
    "acl_body_is_owner_only",
    "acl_is_public",
    "acl_permission",
    "parse_bucket_policy",
    "policy_is_public",
    "public_grants_allow",
    "public_statements",
]

OWNER_FULL_CONTROL = "bucket-owner-full-control"
PUBLIC_CANNED_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
_PUBLIC_GROUPS = (
    "acs.amazonaws.com/groups/global/AllUsers",
    "acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
# IAM action -> (ACL of the "object" or the "bucket", ACL permission that grants it)
_ACL_PERMISSION: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("s3:GetObject", "s3:GetObjectVersion"), ("object", "READ")),
    **dict.fromkeys(("s3:GetObjectAcl", "s3:GetObjectVersionAcl"), ("object", "READ_ACP")),
    **dict.fromkeys(("s3:PutObjectAcl", "s3:PutObjectVersionAcl"), ("object", "WRITE_ACP")),
    **dict.fromkeys(
        ("s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"),
        ("bucket", "READ"),
    ),
    **dict.fromkeys(
        ("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"), ("bucket", "WRITE")
    ),
    "s3:GetBucketAcl": ("bucket", "READ_ACP"),
    "s3:PutBucketAcl": ("bucket", "WRITE_ACP"),
}
_LIMITING_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceIp",
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceOwner",
        "aws:SourceAccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "aws:userid",
        "s3:DataAccessPointArn",
        "s3:DataAccessPointAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
    )
)
_FIXING_OPERATORS = frozenset(
    {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"}
)


def acl_is_public(acl_headers: Mapping[str, str]) -> bool:
    """Whether ``x-amz-acl`` / ``x-amz-grant-*`` values (lower-case names) grant to the public."""
    canned = acl_headers.get("x-amz-acl", "").strip()
    if canned in PUBLIC_CANNED_ACLS:
        return True
    grants = " ".join(v for n, v in acl_headers.items() if n.startswith("x-amz-grant-"))
    return any(group in grants for group in _PUBLIC_GROUPS)


def acl_permission(action: str) -> tuple[str, str] | None:
    """``("object" | "bucket", ACL permission)`` that grants IAM ``action``, or None.

    S3 User Guide, "Access control list (ACL) overview", "Mapping of ACL permissions and access
    policy permissions": READ on a bucket lists it, WRITE on a bucket creates and deletes its
    objects, READ on an object reads it, READ_ACP / WRITE_ACP read and write the ACL itself.
    """
    return _ACL_PERMISSION.get(action)


def public_grants_allow(
    grants: frozenset[tuple[str, str]], permission: str, *, signed: bool
) -> bool:
    """Whether ``(group, permission)`` grants give ``permission`` to an anonymous (``signed``
    false: ``AllUsers`` only) or a signed caller (also ``AuthenticatedUsers``)."""
    groups = ("AllUsers", "AuthenticatedUsers") if signed else ("AllUsers",)
    return any((g, p) in grants for g in groups for p in (permission, "FULL_CONTROL"))


def acl_body_is_owner_only(body: bytes) -> bool:
    """Whether an ``AccessControlPolicy`` body grants only FULL_CONTROL to one canonical user."""
    text = body.decode("utf-8", "replace")
    grants = re.findall(r"<Grant>(.*?)</Grant>", text, re.DOTALL)
    if len(grants) != 1:
        return not grants
    grant = grants[0]
    return (
        "CanonicalUser" in grant
        and re.search(r"<Permission>\s*FULL_CONTROL\s*</Permission>", grant) is not None
    )


def _fixed_value(key: str, value: str) -> bool:
    if "*" in value or "?" in value:
        return False
    if key == "aws:sourceip":
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
        return network.prefixlen >= (8 if network.version == 4 else 32)
    return True


def _limited_by_condition(statement: Statement) -> bool:
    for op_name, key, values in statement.conditions:
        qualifier, base, if_exists = split_operator(op_name)
        if if_exists or qualifier == "forallvalues" or base not in _FIXING_OPERATORS:
            continue
        lowered = key.lower()
        if lowered in _LIMITING_KEYS and all(_fixed_value(lowered, v) for v in values):
            return True
    return False


def _wildcard_principal(statement: Statement) -> bool:
    if statement.principals is None:
        return False
    if statement.not_principal:
        return True
    names = statement.principals.get("AWS", ())
    return any(n == "*" or "*" in n for n in names)


def public_statements(policy: Policy) -> tuple[Statement, ...]:
    """The ``Allow`` statements of ``policy`` that make it public."""
    return tuple(
        s
        for s in policy.statements
        if s.effect == "Allow" and _wildcard_principal(s) and not _limited_by_condition(s)
    )


def policy_is_public(policy: Policy) -> bool:
    """Whether Block Public Access would count ``policy`` as a public bucket policy."""
    return bool(public_statements(policy))


def parse_bucket_policy(document: str | bytes, bucket: str) -> Policy:
    """Parse a PutBucketPolicy body for ``bucket``; :class:`PolicyError` if S3 would refuse it."""
    policy = parse_policy(document, resource_policy=True)
    for statement in policy.statements:
        if any(a != "*" and not a.lower().startswith("s3:") for a in statement.actions):
            raise PolicyError("Policy has invalid action")
        for resource in statement.resources or ():
            if resource == "*":
                continue
            name = resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
            pattern = wildcard_regex(name, {}, variables=False)
            if not resource.startswith("arn:aws:s3:::") or not (
                pattern and pattern.fullmatch(bucket)
            ):
                raise PolicyError("Policy has invalid resource")
    return policy
