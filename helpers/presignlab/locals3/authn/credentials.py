"""The access keys the strict local S3 knows: root, IAM users' keys and STS sessions.

:class:`MotoCredentialStore` implements :class:`~presignlab.locals3.identity.CredentialStore`
over three sources, read live at every lookup:

* the root pair (AWS's documented example keys unless ``PRESIGNLAB_ROOT_ACCESS_KEY_ID`` /
  ``PRESIGNLAB_ROOT_SECRET_ACCESS_KEY`` say otherwise);
* IAM users' access keys created through the IAM API (moto's IAM backend): a deleted key is
  unknown, an ``Inactive`` one comes back with ``active=False``;
* STS temporary credentials: AssumeRole sessions from moto's STS backend, and GetSessionToken
  sessions, which we issue ourselves (:meth:`MotoCredentialStore.issue_session`) because moto
  answers GetSessionToken with one fixed, unrecorded example key.

UNCONFIRMED / choices:

* moto dates an AssumeRole session in real time. The store re-dates it on the LocalS3 clock when
  the pipeline reports the call (:meth:`MotoCredentialStore.record_assumed_roles`): the session
  lasts its duration from the clock's ``now()`` at issue. The Expiration printed in moto's
  AssumeRole answer stays in real time.
* A GetSessionToken session acts as its caller: principal kind ``session`` with the user's ARN,
  name and unique id (so it stops acting once that user is deleted, even if a user of the same
  name is created), or the root principal itself for the root user's sessions.
"""

from __future__ import annotations

import base64
import os
import secrets
import string
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..backend import iam
from ..backend.state import MOTO_ACCOUNT_ID
from .identity import Credential, Principal

__all__ = [
    "DEFAULT_ROOT_ACCESS_KEY_ID",
    "DEFAULT_ROOT_SECRET_ACCESS_KEY",
    "MotoCredentialStore",
    "RootKeys",
    "root_keys_from_env",
]

#: AWS's documented example key pair (never a real credential).
DEFAULT_ROOT_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
DEFAULT_ROOT_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

_KEY_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class RootKeys:
    """The root access key pair. ``secret_access_key`` is never printed."""

    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:
        return f"RootKeys(access_key_id={self.access_key_id!r}, secret_access_key='***')"


def root_keys_from_env() -> RootKeys:
    """The root pair from the environment, defaulting to AWS's documented example pair."""
    return RootKeys(
        os.environ.get("PRESIGNLAB_ROOT_ACCESS_KEY_ID") or DEFAULT_ROOT_ACCESS_KEY_ID,
        os.environ.get("PRESIGNLAB_ROOT_SECRET_ACCESS_KEY") or DEFAULT_ROOT_SECRET_ACCESS_KEY,
    )


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


class MotoCredentialStore:
    """A :class:`~presignlab.locals3.identity.CredentialStore` over root, moto IAM and STS."""

    def __init__(self, root: RootKeys, account_id: str = MOTO_ACCOUNT_ID) -> None:
        self.account_id = account_id
        self._root = Credential(
            root.access_key_id,
            root.secret_access_key,
            Principal("root", account_id, f"arn:aws:iam::{account_id}:root"),
        )
        self._lock = threading.Lock()
        self._sessions: dict[str, Credential] = {}
        self._role_expiry: dict[str, datetime] = {}

    # -- CredentialStore -------------------------------------------------------------------
    def lookup(self, access_key_id: str) -> Credential | None:
        """The credential for ``access_key_id`` (also inactive ones), or None if unknown."""
        if access_key_id == self._root.access_key_id:
            return self._root
        with self._lock:
            session = self._sessions.get(access_key_id)
        if session is not None:
            return session
        role = self._assumed_role(lambda r: r.access_key_id == access_key_id)
        if role is not None:
            return role
        return self._iam_user_key(access_key_id)

    def lookup_token(self, session_token: str) -> Credential | None:
        """The temporary credential that owns ``session_token``, or None if unknown."""
        with self._lock:
            found = next(
                (c for c in self._sessions.values() if c.session_token == session_token), None
            )
        if found is not None:
            return found
        return self._assumed_role(lambda r: r.session_token == session_token)

    # -- STS sessions ----------------------------------------------------------------------
    def issue_session(self, caller: Principal, duration: timedelta, now: datetime) -> Credential:
        """A new GetSessionToken credential acting as ``caller``, ending ``duration`` after now."""
        credential = Credential(
            access_key_id="ASIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16)),
            secret_key="".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40)),
            principal=caller
            if caller.kind == "root"
            else Principal("session", caller.account_id, caller.arn, caller.name, caller.user_id),
            session_token=base64.b64encode(b"presignlab-session:" + os.urandom(96)).decode("ascii"),
            expires_at=_aware(now) + duration,
        )
        with self._lock:
            self._sessions[credential.access_key_id] = credential
        return credential

    def record_assumed_roles(self, now: datetime) -> None:
        """Date every AssumeRole session not seen before on the LocalS3 clock (``now`` at issue)."""
        real_now = datetime.now(UTC)
        for role in iam.assumed_roles():
            with self._lock:
                if role.access_key_id not in self._role_expiry:
                    lifetime = _aware(role.expiration) - real_now
                    seconds = max(0, round(lifetime.total_seconds()))
                    self._role_expiry[role.access_key_id] = _aware(now) + timedelta(seconds=seconds)

    # -- readers of moto's IAM and STS ----------------------------------------------------
    def _assumed_role(self, match: Any) -> Credential | None:
        role = next((r for r in iam.assumed_roles() if match(r)), None)
        if role is None:
            return None
        with self._lock:
            expires_at = self._role_expiry.get(role.access_key_id, _aware(role.expiration))
        return Credential(
            access_key_id=role.access_key_id,
            secret_key=role.secret_access_key,
            principal=Principal("assumed-role", role.account_id, role.arn, role.role_name),
            session_token=role.session_token,
            expires_at=expires_at,
            active=role.active,
        )

    def _iam_user_key(self, access_key_id: str) -> Credential | None:
        key = iam.user_key(self.account_id, access_key_id)
        if key is None:
            return None
        return Credential(
            access_key_id=key.access_key_id,
            secret_key=key.secret_access_key,
            principal=Principal("user", self.account_id, key.user_arn, key.user_name, key.user_id),
            active=key.active,
        )
