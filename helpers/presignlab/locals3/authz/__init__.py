"""Authorization for the strict local S3: IAM, bucket policy, Block Public Access, ACLs.

:func:`authorize` runs after authentication (AUTHZ-01) and raises the
:class:`~presignlab.locals3.s3_error.S3Error` AWS would answer, or returns None. State comes
live from moto (:mod:`presignlab.locals3.authz_state`). The checks, in this order:

1. **IAM.** Each ``(action, resource)`` the request needs (:func:`s3_operation`) is evaluated
   against the caller's identity policies and the bucket policy (AWS IAM User Guide, "Policy
   evaluation logic"). Any explicit Deny refuses. Within one account an Allow from either side
   is enough; across accounts (and for anonymous callers, who have no identity) the bucket
   policy must allow too. Root is allowed by identity, and may always Get/Put/Delete its own
   bucket's policy despite a Deny (S3 User Guide, "locked out of a bucket"). With
   RestrictPublicBuckets, public statements of a public bucket policy only serve callers of the
   bucket owner's account. On a bucket with ACLs enabled and IgnorePublicAcls off, a bucket or
   object ACL grant to ``AllUsers`` (or, for signed callers, ``AuthenticatedUsers``) allows
   like a bucket policy statement would. Refusal: 403 ``AccessDenied`` ``Access Denied``
   (AUTHZ-02, AUTHZ-03).
2. **Object Ownership.** On a ``BucketOwnerEnforced`` bucket, PutObject / CopyObject /
   CreateMultipartUpload / PostObject / PutObjectAcl / PutBucketAcl setting an ACL other than
   ``bucket-owner-full-control`` give 400 ``AccessControlListNotSupported`` ``The bucket does
   not allow ACLs`` (rows 21, 22a).
3. **Block Public Access.** With ACLs enabled and BlockPublicAcls, a public ACL gives 403
   ``AccessDenied`` (AUTHZ-05); with BlockPublicPolicy, PutBucketPolicy with a public policy gives
   403 ``AccessDenied`` ``Access Denied`` (the classic text is what users quote for it, e.g.
   torchbox/buckup#18, 2023).

Choices (docs/aws-behaviour.md):

* refusals of a signed caller of the bucket owner's account name the caller, the action, the
  resource and why, in AWS's documented forms (AUTHZ-02, CHOICE-67): "because no
  identity-based policy allows the ACTION action", "with an explicit deny in an identity-based
  policy", "with an explicit deny in a resource-based policy"; anonymous and cross-account
  callers, and Block Public Access refusals, keep ``Access Denied`` (AUTHZ-03, AUTHZ-05);
* the order above (IAM first, so a caller without permission learns nothing about the bucket's
  settings; then ownership, which is reported to win over BlockPublicAcls);
* a request on a bucket that does not exist is 404 ``NoSuchBucket`` whoever sends it (AWS
  answers so before it evaluates policies); CreateBucket is checked against identity policies
  only;
* CreateBucket with an ACL other than ``private`` and ownership ``BucketOwnerEnforced`` (the
  default) gives 400 ``InvalidBucketAclWithObjectOwnership`` ``Bucket cannot have ACLs set with
  ObjectOwnership's BucketOwnerEnforced setting``;
* a PutBucketPolicy body that cannot be parsed skips the BlockPublicPolicy check (the server
  answers ``MalformedPolicy`` when it validates the body); ACL grants to canonical users or
  e-mail addresses are not evaluated (only the public groups); the account-level Block Public
  Access is not modelled.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ...signing.sent_request import SentRequest
from ..authn.identity import Principal
from ..wire.catalogue import (
    access_denied,
    access_denied_in_context,
    acl_not_supported,
    bucket_acl_with_ownership,
    malformed_policy,
    no_such_bucket,
    policy_too_large,
)
from ..wire.errors import S3Error
from ..wire.limits import MAX_BUCKET_POLICY_BYTES
from .actions import S3Operation, permissions, s3_operation
from .context import acl_headers, acts_as_root, request_context
from .policy.eval import Decision, Policy, PolicyError, evaluate
from .public_access import (
    OWNER_FULL_CONTROL,
    acl_body_is_owner_only,
    acl_is_public,
    acl_permission,
    parse_bucket_policy,
    policy_is_public,
    public_grants_allow,
    public_statements,
)
from .state import (
    BucketState,
    CallerPolicies,
    apply_new_bucket_defaults,
    bucket_state,
    caller_policies,
    public_acl_grants,
)

__all__ = [
    "apply_new_bucket_defaults",
    "authorize",
]

_ACL_OPERATIONS = frozenset(
    {
        "PutObject",
        "CopyObject",
        "CreateMultipartUpload",
        "PostObject",
        "PutObjectAcl",
        "PutBucketAcl",
    }
)
_ROOT_KEEPS = frozenset({"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"})


def _bucket_of(resource: str) -> str:
    return resource.split(":::", 1)[-1].split("/", 1)[0]


def _resource_policy(state: BucketState, caller: Principal | None) -> Policy | None:
    """The bucket policy as it applies to ``caller`` (RestrictPublicBuckets filters it)."""
    policy = state.policy
    if policy is None or not state.block.restrict_public_buckets:
        return policy
    if caller is not None and caller.account_id == state.owner_account:
        return policy
    public = set(map(id, public_statements(policy)))
    kept = tuple(s for s in policy.statements if id(s) not in public)
    return Policy(kept, policy.version)


def _acl_allows(caller: Principal | None, state: BucketState, action: str, resource: str) -> bool:
    """Whether a public-group grant in an (enabled, not ignored) ACL allows ``action``."""
    spec = acl_permission(action)
    if spec is None or state.ownership == "BucketOwnerEnforced" or state.block.ignore_public_acls:
        return False
    _, _, key = resource.split(":::", 1)[-1].partition("/")
    if spec[0] == "object" and not key:
        return False
    grants = public_acl_grants(state.name, key if spec[0] == "object" else None)
    return public_grants_allow(grants, spec[1], signed=caller is not None)


def _identity_decision(
    caller: Principal | None,
    mine: CallerPolicies,
    action: str,
    resource: str,
    ctx: dict[str, list[str]],
) -> Decision:
    if caller is None:
        return "ImplicitDeny"
    if acts_as_root(caller):
        return "Allow"
    decision = evaluate(
        mine.policies, principal_arn=caller.arn, action=action, resource=resource, context=ctx
    )
    if decision == "Allow" and mine.boundary is not None:
        bounded = evaluate(
            [mine.boundary], principal_arn=caller.arn, action=action, resource=resource, context=ctx
        )
        decision = "Allow" if bounded == "Allow" else bounded
    return decision


def _check_iam(
    caller: Principal | None,
    mine: CallerPolicies,
    action: str,
    resource: str,
    ctx: dict[str, list[str]],
    account_id: str,
) -> None:
    state = bucket_state(_bucket_of(resource)) if resource.count(":::") else None
    owner = state.owner_account if state else account_id
    same_account = caller is not None and caller.account_id == owner
    identity = _identity_decision(caller, mine, action, resource, ctx)
    policy = _resource_policy(state, caller) if state else None
    resource_side: Decision = "ImplicitDeny"
    if policy is not None:
        resource_side = evaluate(
            [policy],
            principal_arn=caller.arn if caller else None,
            action=action,
            resource=resource,
            context=ctx,
            account_allow_matches_members=not same_account,
        )
    root_keeps = same_account and acts_as_root(caller) and action in _ROOT_KEEPS
    told = caller if same_account else None  # AUTHZ-03: others are told only "Access Denied"
    if identity == "Deny" and not root_keeps:
        raise _denied(told, action, resource, "with an explicit deny in an identity-based policy")
    if resource_side == "Deny" and not root_keeps:
        raise _denied(told, action, resource, "with an explicit deny in a resource-based policy")
    resource_allows = resource_side == "Allow" or (
        state is not None and _acl_allows(caller, state, action, resource)
    )
    if same_account:
        allowed = identity == "Allow" or resource_allows or root_keeps
    else:
        allowed = resource_allows and (caller is None or identity == "Allow")
    if not allowed:
        why = f"because no identity-based policy allows the {action} action"
        raise _denied(told, action, resource, why)


def _denied(caller: Principal | None, action: str, resource: str, why: str) -> S3Error:
    """AUTHZ-02's message for a same-account signed caller, AUTHZ-03's for anyone else."""
    if caller is None:
        return access_denied()
    return access_denied_in_context(caller.arn, action, resource, why)


def _check_ownership(
    op: S3Operation, request: SentRequest, state: BucketState | None, body: bytes | None
) -> None:
    acl = acl_headers(request)
    if op.name == "CreateBucket":
        ownership = request.header("x-amz-object-ownership") or "BucketOwnerEnforced"
        if ownership == "BucketOwnerEnforced" and acl and acl != {"x-amz-acl": "private"}:
            raise bucket_acl_with_ownership()
        return
    if state is None or op.name not in _ACL_OPERATIONS or state.ownership != "BucketOwnerEnforced":
        return
    if acl and acl != {"x-amz-acl": OWNER_FULL_CONTROL}:
        raise acl_not_supported()
    if (
        not acl
        and op.name in ("PutObjectAcl", "PutBucketAcl")
        and body
        and not acl_body_is_owner_only(body)
    ):
        raise acl_not_supported()


def _check_block_public(
    op: S3Operation, request: SentRequest, state: BucketState | None, body: bytes | None
) -> None:
    if state is None:
        return
    if op.name in _ACL_OPERATIONS and state.block.block_public_acls:
        text = (body or b"").decode("utf-8", "replace") if op.name.endswith("Acl") else ""
        if acl_is_public(acl_headers(request)) or "/groups/global/" in text:
            raise access_denied()
    if op.name == "PutBucketPolicy" and body is not None:
        if len(body) > MAX_BUCKET_POLICY_BYTES:
            raise policy_too_large()
        try:
            proposed = parse_bucket_policy(body, state.name)
        except PolicyError as exc:
            raise malformed_policy(str(exc)) from exc
        if state.block.block_public_policy and policy_is_public(proposed):
            raise access_denied()


def authorize(
    principal: Principal | None,
    request: SentRequest,
    *,
    bucket: str | None,
    key: str | None,
    account_id: str,
    scheme: str = "sigv4-query",
    now: datetime | None = None,
    body: bytes | None = None,
    source_ip: str = "127.0.0.1",
    operation: str | None = None,
) -> None:
    """Raise the S3Error AWS answers if ``principal`` may not make ``request``; else None.

    ``principal`` is None for an anonymous request. ``bucket`` / ``key`` are decoded (None when
    absent). ``account_id`` is the account the endpoint serves (owner of new buckets). ``body``
    is needed for PutBucketPolicy / PutObjectAcl / PutBucketAcl checks. ``scheme`` is the
    authentication scheme (``anonymous``, ``sigv4-query``, ``sigv4-header``, ``sigv2-query``,
    ``sigv2-header``, ``…post``); ``now`` defaults to the real clock. ``operation`` is the
    operation the server decided (:mod:`presignlab.locals3.wire.operations`); without it, it is
    decided here from ``request``. A bucket that does not exist is 404 NoSuchBucket.
    """
    op = (
        s3_operation(request, bucket, key)
        if operation is None
        else permissions(operation, request, bucket, key)
    )
    state = bucket_state(bucket) if bucket else None
    if bucket and state is None and op.name != "CreateBucket":
        raise no_such_bucket(bucket)
    mine = caller_policies(principal)
    ctx = request_context(
        request,
        scheme=scheme,
        now=now or datetime.now(UTC),
        principal=principal,
        user_id=mine.user_id,
        principal_arn=mine.principal_arn,
        source_ip=source_ip,
    )
    if state is not None:
        ctx["s3:ResourceAccount"] = [state.owner_account]
    for action, resource in op.requirements:
        _check_iam(principal, mine, action, resource, ctx, account_id)
    _check_ownership(op, request, state, body)
    _check_block_public(op, request, state, body)
