"""The notebooks' set-up: one call that gives a ready lab, locally or on real AWS.

Example::

    lab = open_lab("03-bucket-setup")
    bucket = lab.create_bucket("uploads")
    signer = lab.create_signer("signer", policy)
    ...
    lab.cleanup()

``PRESIGNLAB_TARGET`` chooses the target: ``local`` (the default) starts or reuses the strict
local S3 in this process, pins its clock at :data:`LAB_EPOCH` the first time, and makes
botocore sign with that clock (:mod:`presignlab.lab.botocore_clock`); ``aws`` uses boto3's default
credentials and region, adds a random suffix to every name, patches nothing, and registers the
clean-up with ``atexit``.

For tests only, ``PRESIGNLAB_AWS_ENDPOINT_URL`` (or ``open_lab(..., _session=...)``) points the
aws target at another endpoint, such as a LocalS3, so its code path can run without AWS.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import time
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..clock import Clock
from ..errors import TargetError
from .botocore_clock import follow_clock, unfollow_clock
from .resources import Resources, delete_all
from .sdk_fixtures import SdkPresignedUrl, js_sdk_fixture, js_sdk_fixtures
from .sending import Response, send, show_error

__all__ = [
    "AWS_ENDPOINT_ENV",
    "DEFAULT_REGION",
    "LAB_EPOCH",
    "TARGETS",
    "TARGET_ENV",
    "Lab",
    "Response",
    "SdkPresignedUrl",
    "Signer",
    "close_lab",
    "js_sdk_fixture",
    "js_sdk_fixtures",
    "lab_target",
    "open_lab",
    "send",
    "show_error",
]

#: The environment variable that chooses the target.
TARGET_ENV = "PRESIGNLAB_TARGET"
#: The targets ``open_lab`` knows.
TARGETS = ("local", "aws")
#: For tests only: an endpoint URL the aws target's clients use instead of AWS.
AWS_ENDPOINT_ENV = "PRESIGNLAB_AWS_ENDPOINT_URL"
#: The region when none is given (and, on aws, none is configured).
DEFAULT_REGION = "us-east-1"
#: The instant the local lab's clock starts at: 2026-03-01T12:00:00Z.
LAB_EPOCH = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)

_labs: dict[tuple[Any, ...], Lab] = {}
_started: list[Any] = []
_pinned: weakref.WeakSet[Any] = weakref.WeakSet()
_KEY_WAIT_SECONDS = 30.0


def lab_target() -> str:
    """The target named by ``PRESIGNLAB_TARGET`` ("local" when unset or empty).

    Raises :class:`TargetError` for any other value.
    """
    raw = os.environ.get(TARGET_ENV, "")
    value = raw.strip().lower() or "local"
    if value not in TARGETS:
        raise TargetError(
            f"{TARGET_ENV}={raw!r} is not a target: use 'local' (the strict local S3, the "
            f"default) or 'aws' (your AWS credentials and region), or unset it."
        )
    return value


class Signer:
    """An IAM user with one access key, made by :meth:`Lab.create_signer`.

    Its repr shows the user and the access key id, never the secret access key.
    """

    __slots__ = ("_lab", "access_key_id", "arn", "secret_access_key", "user_name")

    def __init__(
        self,
        user_name: str,
        access_key_id: str,
        secret_access_key: str,
        arn: str,
        *,
        lab: Lab | None = None,
    ) -> None:
        self.user_name = user_name
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.arn = arn
        self._lab = lab

    def __repr__(self) -> str:
        return (
            f"Signer(user_name={self.user_name!r}, access_key_id={self.access_key_id!r}, "
            f"secret_access_key='<hidden>', arn={self.arn!r})"
        )

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signer):
            return NotImplemented
        return (self.user_name, self.access_key_id, self.arn) == (
            other.user_name,
            other.access_key_id,
            other.arn,
        ) and secrets.compare_digest(self.secret_access_key, other.secret_access_key)

    __hash__ = None  # type: ignore[assignment]

    def client(self, service: str = "s3", **kwargs: Any) -> Any:
        """A boto3 client signing as this user (SigV4 for S3; path-style locally)."""
        if self._lab is None:
            raise TargetError("This Signer belongs to no lab: make it with lab.create_signer().")
        return self._lab.client(
            service,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
            **kwargs,
        )


@dataclass(eq=False, repr=False)
class Lab:
    """Clients, names, clock and clean-up for one notebook (see the module docstring)."""

    target: str
    notebook: str
    region: str
    account_id: str
    endpoint_url: str | None
    clock: Clock | None
    s3: Any = field(repr=False)
    iam: Any = field(repr=False)
    sts: Any = field(repr=False)
    _server: Any = field(default=None, repr=False)
    _session: Any = field(default=None, repr=False)
    _suffix: str = field(default="", repr=False)
    _resources: Resources = field(default_factory=Resources, repr=False)
    _signers: dict[str, Signer] = field(default_factory=dict, repr=False)
    _atexit: bool = field(default=False, repr=False)

    def __repr__(self) -> str:
        # stable for notebook outputs: no port, no object ids
        where = f"clock at {self.clock.now():%Y-%m-%dT%H:%M:%SZ}" if self.clock else "real AWS"
        return (
            f"Lab(target={self.target!r}, notebook={self.notebook!r}, region={self.region!r}, "
            f"account_id={self.account_id!r}, {where})"
        )

    # -- names and clients -------------------------------------------------------------------

    def name(self, base: str) -> str:
        """``presignlab-<base>`` locally; on aws with this lab's random suffix appended."""
        name = f"presignlab-{base}"
        return f"{name}-{self._suffix}" if self._suffix else name

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` on this lab's target; ``kwargs`` override ours.

        S3 clients sign with SigV4; locally they are path-style, on aws virtual-hosted (or
        path-style when a test endpoint is set).
        """
        if self.target == "local":
            options = {"region_name": self.region, **kwargs}
            return self._server.client(service, **options)
        from botocore.config import Config

        endpoint = _aws_endpoint()
        config = None
        if service == "s3":
            style = "path" if endpoint else "virtual"
            config = Config(signature_version="s3v4", s3={"addressing_style": style})
        user_config = kwargs.pop("config", None)
        if user_config is not None:
            config = config.merge(user_config) if config is not None else user_config
        options = {"region_name": self.region}
        if config is not None:
            options["config"] = config
        if endpoint:
            options["endpoint_url"] = endpoint
        options.update(kwargs)
        return self._session.client(service, **options)

    # -- resources ---------------------------------------------------------------------------

    def create_bucket(self, base: str = "uploads", *, region: str | None = None) -> str:
        """Create bucket ``name(base)`` (idempotent) with AWS's defaults; register it; return it.

        Nothing is configured beyond what CreateBucket does: new buckets have Block Public
        Access on and Object Ownership ``BucketOwnerEnforced`` (ACLs disabled).
        """
        bucket = self.name(base)
        where = region or self.region
        # The local S3 is one endpoint, in us-east-1: a bucket elsewhere is created from there
        # with its LocationConstraint, as AWS allows from the us-east-1 endpoint (AUTH-H-02).
        local = self.target == "local"
        client = self.s3 if where == self.region or local else self.client("s3", region_name=where)
        request: dict[str, Any] = {"Bucket": bucket}
        if where != "us-east-1":
            request["CreateBucketConfiguration"] = {"LocationConstraint": where}
        try:
            client.create_bucket(**request)
        except Exception as exc:
            code = _error_code(exc)
            if code == "BucketAlreadyExists":
                raise TargetError(
                    f"The bucket name {bucket!r} belongs to another AWS account; bucket names "
                    "are global. Open the lab again for another random suffix."
                ) from exc
            if code != "BucketAlreadyOwnedByYou":
                raise
        self._resources.add("buckets", bucket, region=where)
        return bucket

    def create_signer(self, base: str, policy: dict[str, Any] | str) -> Signer:
        """An IAM user ``name(base)`` with ``policy`` inline and one access key (registered).

        Re-running with the same ``base`` updates the policy and returns the same signer. On
        aws it waits (up to 30 s) until the new access key is accepted.
        """
        user = self.name(base)
        document = policy if isinstance(policy, str) else json.dumps(policy)
        known = self._signers.get(user)
        if known is None:
            try:
                arn = self.iam.create_user(UserName=user)["User"]["Arn"]
            except Exception as exc:
                if _error_code(exc) != "EntityAlreadyExists":
                    raise
                arn = self.iam.get_user(UserName=user)["User"]["Arn"]
                for key in self.iam.list_access_keys(UserName=user)["AccessKeyMetadata"]:
                    self.iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
        self._resources.add("users", user)
        self.iam.put_user_policy(
            UserName=user, PolicyName=f"{base}-policy", PolicyDocument=document
        )
        if known is not None:
            return known
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        signer = Signer(user, key["AccessKeyId"], key["SecretAccessKey"], arn, lab=self)
        if self.target == "aws":
            _wait_until_accepted(signer)
        self._signers[user] = signer
        return signer

    def create_role(self, base: str, policy: dict[str, Any] | str) -> str:
        """An IAM role ``name(base)`` that this account may assume, ``policy`` inline; its ARN."""
        role = self.name(base)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{self.account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        try:
            arn: str = self.iam.create_role(
                RoleName=role, AssumeRolePolicyDocument=json.dumps(trust)
            )["Role"]["Arn"]
        except Exception as exc:
            if _error_code(exc) != "EntityAlreadyExists":
                raise
            arn = self.iam.get_role(RoleName=role)["Role"]["Arn"]
        self._resources.add("roles", role)
        document = policy if isinstance(policy, str) else json.dumps(policy)
        self.iam.put_role_policy(
            RoleName=role, PolicyName=f"{base}-policy", PolicyDocument=document
        )
        return arn

    def local_only(self, what: str) -> bool:
        """True locally; on aws print ``Skipped on real AWS: <what>`` and return False."""
        if self.target == "local":
            return True
        print(f"Skipped on real AWS: {what}")
        return False

    def cleanup(self) -> list[str]:
        """Delete what this lab created, in dependency order; one line per resource.

        Already-deleted resources are reported, not raised, so it is safe to run twice. Locally
        the server keeps running, but every bucket, user and role in it is deleted too, so the
        local state is empty afterwards.
        """
        if self.target == "local":
            self._register_everything_local()
        lines = delete_all(
            self.s3,
            self.iam,
            self._resources,
            s3_in=lambda region: self.client("s3", region_name=region),
        )
        self._signers.clear()
        return lines

    def _register_everything_local(self) -> None:
        for bucket in self.s3.list_buckets().get("Buckets", []):
            self._resources.add("buckets", bucket["Name"])
        for page in self.iam.get_paginator("list_users").paginate():
            for user in page.get("Users", []):
                self._resources.add("users", user["UserName"])
        for page in self.iam.get_paginator("list_roles").paginate():
            for role in page.get("Roles", []):
                if not role.get("Path", "/").startswith("/aws-"):
                    self._resources.add("roles", role["RoleName"])

    def _cleanup_at_exit(self) -> None:
        for line in self.cleanup():
            print(line)

    def _alive(self) -> bool:
        if self.target != "local":
            return True
        from ..locals3.server import LocalS3

        return bool(self._server.running) and LocalS3.current() is self._server


def _error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    return str(response.get("Error", {}).get("Code", "")) or None


def _aws_endpoint() -> str | None:
    """The test-only endpoint override of the aws target (``PRESIGNLAB_AWS_ENDPOINT_URL``)."""
    return os.environ.get(AWS_ENDPOINT_ENV) or None


def _wait_until_accepted(signer: Signer) -> None:
    """IAM is eventually consistent: wait until STS accepts the new access key."""
    sts = signer.client("sts")
    deadline = time.monotonic() + _KEY_WAIT_SECONDS
    while True:
        try:
            sts.get_caller_identity()
            return
        except Exception as exc:
            if _error_code(exc) != "InvalidClientTokenId" or time.monotonic() > deadline:
                raise
            time.sleep(2)


def _open_local(notebook: str, region: str) -> Lab:
    from ..locals3.server import LocalS3

    server = LocalS3.current()
    if server is None:
        server = LocalS3().start()
        _started.append(server)
    if server not in _pinned:
        server.clock.set(LAB_EPOCH)
        _pinned.add(server)
    follow_clock(server.clock)
    lab = Lab(
        target="local",
        notebook=notebook,
        region=region,
        account_id=server.account_id,
        endpoint_url=server.endpoint_url,
        clock=server.clock,
        s3=None,
        iam=None,
        sts=None,
        _server=server,
    )
    lab.s3, lab.iam, lab.sts = lab.client("s3"), lab.client("iam"), lab.client("sts")
    return lab


_sessions: list[Any] = []


def _default_session(boto3: Any) -> Any:
    """One default boto3 session per process (so re-opening the lab finds the same one)."""
    if not _sessions:
        _sessions.append(boto3.session.Session())
    return _sessions[0]


def _open_aws(notebook: str, region: str, session: Any) -> Lab:
    lab = Lab(
        target="aws",
        notebook=notebook,
        region=region,
        account_id="",
        endpoint_url=None,
        clock=None,
        s3=None,
        iam=None,
        sts=None,
        _session=session,
        _suffix=secrets.token_hex(4),
    )
    lab.s3, lab.iam, lab.sts = lab.client("s3"), lab.client("iam"), lab.client("sts")
    try:
        lab.account_id = lab.sts.get_caller_identity()["Account"]
    except Exception as exc:
        raise TargetError(
            f"{TARGET_ENV}=aws, but AWS did not accept the credentials boto3 found "
            f"({_error_code(exc) or type(exc).__name__}). Configure credentials (aws configure, "
            f"AWS_PROFILE, ...) or unset {TARGET_ENV} to use the local S3."
        ) from exc
    atexit.register(lab._cleanup_at_exit)
    lab._atexit = True
    return lab


def open_lab(notebook: str, *, region: str | None = None, _session: Any = None) -> Lab:
    """The lab for ``notebook`` on the target ``PRESIGNLAB_TARGET`` names (idempotent).

    Calling it again in the same kernel returns the same :class:`Lab`. ``region`` defaults to
    us-east-1 locally and, on aws, to the region boto3 is configured with (else us-east-1).
    ``_session`` (tests only) is the boto3 session the aws target uses instead of a default one.
    """
    target = lab_target()
    if target == "aws" and _session is None:
        import boto3

        _session = _default_session(boto3)
    if region is None:
        configured = getattr(_session, "region_name", None) if target == "aws" else None
        region = configured or DEFAULT_REGION
    key = (target, notebook, region, id(_session))
    lab = _labs.get(key)
    if lab is not None and lab._alive():
        return lab
    lab = (
        _open_local(notebook, region)
        if target == "local"
        else _open_aws(notebook, region, _session)
    )
    _labs[key] = lab
    return lab


def close_lab() -> None:
    """Forget every lab, give botocore its clock back, stop a LocalS3 the lab started.

    For tests and for scripts that want the process back as it was; notebooks never need it.
    Registered aws clean-ups are unregistered (call ``lab.cleanup()`` first).
    """
    for lab in list(_labs.values()):
        if lab._atexit:
            atexit.unregister(lab._cleanup_at_exit)
    _labs.clear()
    _sessions.clear()
    unfollow_clock()
    while _started:
        _started.pop().stop()
