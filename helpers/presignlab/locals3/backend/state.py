"""The bucket state the strict local S3 reads from (and sets in) moto, as plain values.

moto keeps its state in process-global backends. :func:`reset_state` gives a fresh world (the
same reset moto's ``/moto-api/reset`` performs), so each :class:`~presignlab.locals3.LocalS3`
starts empty; this is why only one LocalS3 may run per process at a time.

We call moto's per-service Flask applications (``create_backend_app``) directly instead of its
``DomainDispatcherApplication``: our pipeline already knows the service (``s3``, ``iam`` or
``sts``), and moto's dispatcher would sniff bodies and print to stdout for unknown services.
For S3, building the application is only moto's one-time set-up; requests go to moto's S3 views
without it (``moto_app._run_s3``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any
from wsgiref.types import WSGIApplication

__all__ = [
    "MOTO_ACCOUNT_ID",
    "SERVICES",
    "BucketRecord",
    "apply_new_bucket_defaults",
    "backend_app",
    "bucket_exists",
    "bucket_record",
    "bucket_region",
    "cors_rules",
    "object_etag",
    "public_acl_grants",
    "quiet_loggers",
    "reset_state",
]

#: moto's default account, which every key our store knows maps to.
MOTO_ACCOUNT_ID = "123456789012"
#: The services the endpoint answers.
SERVICES = ("s3", "iam", "sts")


_apps: dict[str, WSGIApplication] = {}
_apps_lock = threading.Lock()

_PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
_NEW_BUCKET_BLOCK = {
    "BlockPublicAcls": "true",
    "IgnorePublicAcls": "true",
    "BlockPublicPolicy": "true",
    "RestrictPublicBuckets": "true",
}
_NOISY_LOGGERS = ("werkzeug", "moto", "flask_cors", "flask.app", "botocore.credentials")


def quiet_loggers() -> None:
    """Stop moto, Flask and werkzeug from writing request logs to stdout/stderr."""
    for name in _NOISY_LOGGERS:
        log = logging.getLogger(name)
        log.setLevel(logging.ERROR)
        log.propagate = False
        if not log.handlers:
            log.addHandler(logging.NullHandler())


def backend_app(service: str) -> WSGIApplication:
    """moto's WSGI application for ``service`` (built once per process, stateless itself)."""
    with _apps_lock:
        app = _apps.get(service)
        if app is None:
            from moto.moto_server.werkzeug_app import create_backend_app

            if service == "s3":
                _leave_bucket_policies_to_us()
            flask_app = create_backend_app(service)  # type: ignore[arg-type]
            flask_app.logger.disabled = True
            app = flask_app
            _apps[service] = app
        return app


def _leave_bucket_policies_to_us() -> None:
    """Stop moto from denying object requests on its own reading of the bucket policy.

    moto evaluates a bucket policy's Deny statements ignoring their conditions, so a Deny that
    applies only without ``x-amz-server-side-encryption`` refused the request that sends it,
    with an empty 403. :func:`~presignlab.locals3.authz.authorize` has already evaluated the
    policy (conditions included) when a request reaches moto, so moto's DENIED becomes NEUTRAL;
    its ALLOWED is kept, because moto needs it to serve an anonymous read of a private object.
    """
    from moto.iam.access_control import PermissionResult
    from moto.s3.models import FakeBucket

    original = FakeBucket.get_permission
    if getattr(original, "_presignlab", False):
        return

    def get_permission(self: Any, action: str, resource: str) -> Any:
        result = original(self, action, resource)
        return PermissionResult.NEUTRAL if result == PermissionResult.DENIED else result

    get_permission._presignlab = True  # type: ignore[attr-defined]
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]


def reset_state() -> None:
    """Drop every bucket, object, IAM entity and STS session moto holds in this process."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def _s3_backend(account_id: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account_id]["aws"]


def bucket_exists(account_id: str, bucket: str) -> bool:
    """True when moto holds ``bucket`` in ``account_id``."""
    return bucket in _s3_backend(account_id).buckets


def bucket_region(account_id: str, bucket: str | None) -> str | None:
    """The region ``bucket`` was created in (its LocationConstraint); None if it does not exist."""
    if not bucket:
        return None
    found = _s3_backend(account_id).buckets.get(bucket)
    return None if found is None else str(found.region_name)


def object_etag(account_id: str, bucket: str, key: str) -> str | None:
    """The ETag of the current version of ``bucket/key``, or None when there is none."""
    from moto.s3.models import FakeKey

    found = _s3_backend(account_id).buckets.get(bucket)
    current = None if found is None else found.keys.get(key)
    # A versioned bucket's latest entry may be a delete marker, which has no ETag.
    return str(current.etag) if isinstance(current, FakeKey) else None


@dataclass(frozen=True)
class BucketRecord:
    """What authorization reads of one bucket: owner, policy text, Block Public Access, ownership.

    ``block`` holds the four settings in the order BlockPublicAcls, IgnorePublicAcls,
    BlockPublicPolicy, RestrictPublicBuckets (all False when the bucket has none);
    ``ownership`` is None when the bucket has no ownership controls.
    """

    name: str
    owner_account: str
    policy: str | None
    block: tuple[bool, bool, bool, bool]
    ownership: str | None


def _bucket(name: str) -> Any | None:
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account = owner
    return s3_backends[account][partition].buckets.get(name)


def bucket_record(name: str) -> BucketRecord | None:
    """Bucket ``name`` as moto holds it (any account), or None when no account has it."""
    bucket = _bucket(name)
    if bucket is None:
        return None
    pab = bucket.public_access_block
    block = (
        (
            bool(pab.block_public_acls),
            bool(pab.ignore_public_acls),
            bool(pab.block_public_policy),
            bool(pab.restrict_public_buckets),
        )
        if pab is not None
        else (False, False, False, False)
    )
    ownership = bucket.ownership_rule
    if isinstance(ownership, dict):
        ownership = ownership.get("ObjectOwnership")
    policy = bucket.policy
    if isinstance(policy, bytes):
        policy = policy.decode("utf-8", "replace")
    return BucketRecord(
        name=name,
        owner_account=str(bucket.account_id),
        policy=str(policy) if policy else None,
        block=block,
        ownership=str(ownership) if ownership else None,
    )


def public_acl_grants(bucket: str, key: str | None = None) -> frozenset[tuple[str, str]]:
    """``(group, permission)`` pairs the bucket's (or the object's latest version's) ACL grants
    to ``AllUsers`` / ``AuthenticatedUsers``, e.g. ``("AllUsers", "READ")``."""
    found = _bucket(bucket)
    if found is None:
        return frozenset()
    target = found if key is None else found.keys.get(key)
    out: set[tuple[str, str]] = set()
    for grant in getattr(getattr(target, "acl", None), "grants", ()):
        for grantee in grant.grantees:
            group = _PUBLIC_GROUPS.get(getattr(grantee, "uri", "") or "")
            if group:
                out.update((group, str(p)) for p in grant.permissions)
    return frozenset(out)


def apply_new_bucket_defaults(account_id: str, bucket: str) -> None:
    """Give a just-created bucket AWS's 2023 defaults where moto left them unset.

    moto 5.2 creates buckets with neither a Public Access Block nor ownership controls; AWS,
    since April 2023, gives new buckets all four Block Public Access settings on and Object
    Ownership ``BucketOwnerEnforced``. An ownership sent with CreateBucket
    (``x-amz-object-ownership``) is kept. Does nothing for an unknown bucket.
    """
    backend = _s3_backend(account_id)
    found = backend.buckets.get(bucket)
    if found is None:
        return
    if found.public_access_block is None:
        backend.put_public_access_block(bucket, dict(_NEW_BUCKET_BLOCK))
    if not found.ownership_rule:
        backend.put_bucket_ownership_controls(bucket, "BucketOwnerEnforced")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def cors_rules(account_id: str, bucket: str) -> list[dict[str, Any]] | None:
    """The bucket's CORSRules in boto3's shape; None when the bucket does not exist.

    An empty list means the bucket has no CORS configuration. moto keeps MaxAgeSeconds as text.
    """
    found = _s3_backend(account_id).buckets.get(bucket)
    if found is None:
        return None
    rules: list[dict[str, Any]] = []
    for moto_rule in found.cors:
        rule: dict[str, Any] = {
            "AllowedMethods": _as_list(moto_rule.allowed_methods),
            "AllowedOrigins": _as_list(moto_rule.allowed_origins),
        }
        if moto_rule.allowed_headers:
            rule["AllowedHeaders"] = _as_list(moto_rule.allowed_headers)
        if moto_rule.exposed_headers:
            rule["ExposeHeaders"] = _as_list(moto_rule.exposed_headers)
        age = moto_rule.max_age_seconds
        if age is not None and str(age).strip().lstrip("-").isdigit():
            rule["MaxAgeSeconds"] = int(str(age).strip())
        if moto_rule.id_:
            rule["ID"] = str(moto_rule.id_)
        rules.append(rule)
    return rules
