"""What a lab created, and deleting it again in dependency order.

:class:`Resources` records bucket, IAM user and IAM role names as the lab creates them.
:func:`delete_all` removes them in the order AWS requires: for each bucket its policy, every
object version and delete marker, and every unfinished multipart upload, then the bucket; for
each user its access keys, inline and attached policies, then the user; for each role its
inline and attached policies, then the role. Anything already gone (``NoSuchBucket``,
``NoSuchEntity``, ...) is reported as such, never raised, so clean-up can run twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

__all__ = ["GONE_CODES", "Resources", "delete_all", "delete_bucket", "delete_role", "delete_user"]

#: Error codes meaning "already deleted".
GONE_CODES = frozenset({"NoSuchBucket", "NoSuchEntity", "NoSuchKey", "NoSuchUpload", "404"})


@dataclass
class Resources:
    """Names registered for clean-up, in creation order, each at most once."""

    buckets: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    bucket_regions: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, name: str, *, region: str | None = None) -> None:
        """Register ``name`` under ``kind`` ("buckets", "users" or "roles"); a bucket's region."""
        names: list[str] = getattr(self, kind)
        if name not in names:
            names.append(name)
        if region is not None:
            self.bucket_regions[name] = region

    def clear(self) -> None:
        """Forget everything (after a clean-up)."""
        self.buckets.clear()
        self.users.clear()
        self.roles.clear()
        self.bucket_regions.clear()


def _code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    return str(response.get("Error", {}).get("Code", "")) or None


def _gone(exc: Exception) -> bool:
    return _code(exc) in GONE_CODES


def _tolerate(call: Callable[..., Any], **kwargs: Any) -> None:
    """Run ``call(**kwargs)``; an "already gone" error is ignored."""
    try:
        call(**kwargs)
    except Exception as exc:
        if not _gone(exc):
            raise


def _pages(client: Any, operation: str, **kwargs: Any) -> Iterable[dict[str, Any]]:
    return client.get_paginator(operation).paginate(**kwargs)  # type: ignore[no-any-return]


def _empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version, delete marker and multipart upload; return the count."""
    count = 0
    for page in _pages(s3, "list_object_versions", Bucket=bucket):
        entries = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        for entry in entries:
            s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])
            count += 1
    for page in _pages(s3, "list_multipart_uploads", Bucket=bucket):
        for upload in page.get("Uploads", []):
            _tolerate(
                s3.abort_multipart_upload,
                Bucket=bucket,
                Key=upload["Key"],
                UploadId=upload["UploadId"],
            )
            count += 1
    return count


def delete_bucket(s3: Any, bucket: str) -> str:
    """Empty and delete ``bucket``; one line saying what happened."""
    try:
        s3.delete_bucket_policy(Bucket=bucket)
    except Exception as exc:
        if _gone(exc):
            return f"bucket {bucket}: already gone"
        if _code(exc) not in ("NoSuchBucketPolicy", "AccessDenied"):
            raise
    try:
        count = _empty_bucket(s3, bucket)
        s3.delete_bucket(Bucket=bucket)
    except Exception as exc:
        if _gone(exc):
            return f"bucket {bucket}: already gone"
        raise
    noun = "object" if count == 1 else "objects"
    return f"bucket {bucket}: deleted ({count} {noun} and uploads removed)"


def _drop_policies(iam: Any, kind: str, name: str) -> None:
    """Delete the inline policies of a user or role and detach its managed ones."""
    owner = {"UserName": name} if kind == "user" else {"RoleName": name}
    delete_inline = getattr(iam, f"delete_{kind}_policy")
    detach = getattr(iam, f"detach_{kind}_policy")
    for page in _pages(iam, f"list_{kind}_policies", **owner):
        for policy in page.get("PolicyNames", []):
            _tolerate(delete_inline, PolicyName=policy, **owner)
    for page in _pages(iam, f"list_attached_{kind}_policies", **owner):
        for attached in page.get("AttachedPolicies", []):
            _tolerate(detach, PolicyArn=attached["PolicyArn"], **owner)


def delete_user(iam: Any, user: str) -> str:
    """Delete ``user``'s access keys and policies, then the user; one line."""
    try:
        keys = 0
        for page in _pages(iam, "list_access_keys", UserName=user):
            for key in page.get("AccessKeyMetadata", []):
                _tolerate(iam.delete_access_key, UserName=user, AccessKeyId=key["AccessKeyId"])
                keys += 1
        _drop_policies(iam, "user", user)
        iam.delete_user(UserName=user)
    except Exception as exc:
        if _gone(exc):
            return f"user {user}: already gone"
        raise
    noun = "access key" if keys == 1 else "access keys"
    return f"user {user}: deleted (with {keys} {noun} and its policies)"


def delete_role(iam: Any, role: str) -> str:
    """Delete ``role``'s policies, then the role; one line."""
    try:
        _drop_policies(iam, "role", role)
        iam.delete_role(RoleName=role)
    except Exception as exc:
        if _gone(exc):
            return f"role {role}: already gone"
        raise
    return f"role {role}: deleted (with its policies)"


def delete_all(
    s3: Any, iam: Any, resources: Resources, *, s3_in: Callable[[str], Any] | None = None
) -> list[str]:
    """Delete every registered resource in dependency order; one line per resource.

    ``s3_in(region)`` gives the S3 client for a bucket registered with another region
    (``s3`` is used when it is None or the bucket has no region recorded).

    A resource that cannot be deleted for another reason is reported (``failed (Code)``), stays
    registered for the next attempt, and the clean-up goes on with the rest.
    """

    def client_for(bucket: str) -> Any:
        region = resources.bucket_regions.get(bucket)
        return s3_in(region) if s3_in is not None and region is not None else s3

    steps: list[tuple[str, str, Callable[[], str]]] = [
        *(("buckets", b, lambda b=b: delete_bucket(client_for(b), b)) for b in resources.buckets),
        *(("users", u, lambda u=u: delete_user(iam, u)) for u in resources.users),
        *(("roles", r, lambda r=r: delete_role(iam, r)) for r in resources.roles),
    ]
    lines = []
    failed = Resources(bucket_regions=dict(resources.bucket_regions))
    for kind, name, step in steps:
        try:
            lines.append(step())
        except (BotoCoreError, ClientError) as exc:
            lines.append(f"{kind[:-1]} {name}: failed ({_code(exc) or type(exc).__name__})")
            failed.add(kind, name)
    regions = failed.bucket_regions
    resources.clear()
    for kind in ("buckets", "users", "roles"):
        for name in getattr(failed, kind):
            resources.add(kind, name, region=regions.get(name))
    return lines
