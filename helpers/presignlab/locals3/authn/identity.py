"""Who signed a request: the types shared by authentication and authorization.

A :class:`CredentialStore` maps an access key id to a :class:`Credential` (secret, session
token, lifetime, status) whose :class:`Principal` is what authorization evaluates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

__all__ = ["Credential", "CredentialStore", "Principal", "PrincipalKind"]

PrincipalKind = Literal["root", "user", "assumed-role", "session"]


@dataclass(frozen=True)
class Principal:
    """The identity behind a credential.

    ``arn`` is ``arn:aws:iam::ACCOUNT:root``, ``arn:aws:iam::ACCOUNT:user/NAME`` or
    ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION``; ``name`` is the user or role name.
    A ``session`` principal (GetSessionToken) acts as the user ``name`` it was issued to, and
    only while that user is the one it was issued to: ``user_id`` is that user's unique id
    (IAM's ``AIDA…``), so a user deleted and created again under the same name is another user.
    Only the root credential has kind ``root``; no ARN makes a principal the root.
    """

    kind: PrincipalKind
    account_id: str
    arn: str
    name: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class Credential:
    """An access key as the local S3 knows it. ``secret_key`` must never be printed or logged."""

    access_key_id: str
    secret_key: str
    principal: Principal
    session_token: str | None = None
    expires_at: datetime | None = None
    active: bool = True

    def __repr__(self) -> str:
        return (
            f"Credential(access_key_id={self.access_key_id!r}, secret_key='***', "
            f"principal={self.principal!r}, session_token={'***' if self.session_token else None}, "
            f"expires_at={self.expires_at!r}, active={self.active!r})"
        )


class CredentialStore(Protocol):
    """Looks up access keys: the root pair, IAM users' keys and STS temporary credentials."""

    def lookup(self, access_key_id: str) -> Credential | None:
        """The credential for ``access_key_id`` (also inactive ones), or None if unknown."""
        ...

    def lookup_token(self, session_token: str) -> Credential | None:
        """The temporary credential that owns ``session_token``, or None if unknown."""
        ...
