"""IAM users, their keys and policies, roles and AssumeRole sessions, read from moto as values.

Authentication (:mod:`presignlab.locals3.authn.credentials`) and authorization
(:mod:`presignlab.locals3.authz.state`, :mod:`presignlab.locals3.iam_sts.authorize`) read IAM
through these functions only; every call reads moto's live state, so a key deleted a moment
ago is unknown now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "AssumedRole",
    "Identity",
    "UserKey",
    "assumed_roles",
    "role_identity",
    "role_trust_policy",
    "user_identity",
    "user_key",
]


@dataclass(frozen=True)
class UserKey:
    """An IAM user's access key. ``secret_access_key`` is never printed."""

    access_key_id: str
    secret_access_key: str
    user_name: str
    user_arn: str
    user_id: str
    active: bool

    def __repr__(self) -> str:
        return f"UserKey(access_key_id={self.access_key_id!r}, user_name={self.user_name!r})"


@dataclass(frozen=True)
class AssumedRole:
    """An AssumeRole session moto issued (secret and token never printed)."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    arn: str
    account_id: str
    role_name: str
    expiration: datetime
    active: bool

    def __repr__(self) -> str:
        return f"AssumedRole(access_key_id={self.access_key_id!r}, arn={self.arn!r})"


@dataclass(frozen=True)
class Identity:
    """A user's or role's policy documents (inline, attached, its groups'), unique id and ARN."""

    documents: tuple[str, ...]
    unique_id: str
    arn: str
    boundary: str | None = None


def _iam(account_id: str) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account_id]["aws"]


def user_key(account_id: str, access_key_id: str) -> UserKey | None:
    """The IAM user key ``access_key_id``, or None when no user holds it."""
    backend = _iam(account_id)
    key = backend.access_keys.get(access_key_id)
    if key is None or key.user_name is None:
        return None
    user = backend.users.get(key.user_name)
    if user is None:
        return None
    return UserKey(
        key.access_key_id,
        key.secret_access_key,
        str(user.name),
        str(user.arn),
        str(user.id),
        key.status == "Active",
    )


def assumed_roles() -> list[AssumedRole]:
    """Every AssumeRole session moto holds, in every account."""
    from moto.sts.models import sts_backends

    out: list[AssumedRole] = []
    for account in list(sts_backends.values()):
        for partition in list(account.values()):
            for role in list(getattr(partition, "assumed_roles", ())):
                out.append(
                    AssumedRole(
                        role.access_key_id,
                        role.secret_access_key,
                        role.session_token,
                        str(role.arn),
                        str(role.account_id),
                        str(role.role_arn).split("/")[-1],
                        role.expiration,
                        role.access_key.status == "Active",
                    )
                )
    return out


def _managed_document(policy: Any) -> str | None:
    for version in getattr(policy, "versions", ()):
        if getattr(version, "is_default", False):
            return str(version.document)
    return None


def _documents(entity: Any) -> list[str]:
    inline = [str(d) for d in getattr(entity, "policies", {}).values() if d]
    managed = [_managed_document(p) for p in getattr(entity, "managed_policies", {}).values()]
    return [*inline, *(d for d in managed if d)]


def user_identity(account_id: str, name: str) -> Identity | None:
    """User ``name``'s policies (its groups' too), or None when there is no such user."""
    backend = _iam(account_id)
    user = backend.users.get(name)
    if user is None:
        return None
    documents = _documents(user)
    for group in backend.groups.values():
        if user in group.users:
            documents += _documents(group)
    return Identity(tuple(documents), str(user.id), str(user.arn))


def _role(backend: Any, name: str) -> Any | None:
    return next((r for r in backend.roles.values() if r.name == name), None)


def role_identity(account_id: str, name: str) -> Identity | None:
    """Role ``name``'s policies and permissions boundary, or None when there is no such role."""
    backend = _iam(account_id)
    role = _role(backend, name)
    if role is None:
        return None
    boundary = None
    if role.permissions_boundary_arn:
        found = backend.managed_policies.get(role.permissions_boundary_arn)
        boundary = _managed_document(found) if found is not None else None
    return Identity(tuple(_documents(role)), str(role.id), str(role.arn), boundary)


def role_trust_policy(account_id: str, role_arn: str) -> str | None:
    """The trust policy of the role ``role_arn`` in ``account_id``, or None when it has none."""
    name = role_arn.rsplit("/", 1)[-1]
    role = _role(_iam(account_id), name)
    if role is None or str(role.arn) != role_arn:
        return None
    document = role.assume_role_policy_document
    return str(document) if document else None


def iam_entity_names(account_id: str, kind: str) -> Iterable[str]:
    """Names of the users (``kind='user'``) or roles held by ``account_id`` (for tests)."""
    backend = _iam(account_id)
    table = backend.users if kind == "user" else backend.roles
    return [str(e.name) for e in table.values()]
