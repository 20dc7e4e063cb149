"""What every probe case works with: the target, its buckets, clean-up, sending, signing.

Buckets are created on first use under unique names (``presignlab-probe-RUN-SUFFIX``) and
registered for clean-up before anything is put in them; IAM users likewise. A case that cannot
run raises :class:`NotApplicable` (the endpoint refused the set-up it needs: IAM, STS, a CORS
configuration) or :class:`Skipped` (the probe itself cannot do it here, e.g. move the clock).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..lab.resources import Resources
from ..lab.sending import Response, as_response, send
from ..signing.presign import presign_v4
from .target import Target

__all__ = ["NotApplicable", "Observed", "ProbeContext", "Skipped", "refusal"]

#: The body every upload case sends (23 bytes).
BODY = b"hello, presigned world\n"


class NotApplicable(Exception):
    """The endpoint refused the set-up a case needs (its message says which)."""


class Skipped(Exception):
    """The probe cannot perform the case against this endpoint (its message says why)."""


@dataclass(frozen=True)
class Observed:
    """What the endpoint answered: the HTTP status, S3's error ``Code`` and ``Message``."""

    status: int
    code: str | None = None
    message: str | None = None

    @classmethod
    def of(cls, response: Response) -> Observed:
        """The status, and the Code and Message of S3's XML error body when it has one."""
        error = response.error
        if error is None:
            return cls(response.status)
        return cls(response.status, error.code, error.message)

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "code", "message"}``."""
        return {"status": self.status, "code": self.code, "message": self.message}

    @property
    def label(self) -> str:
        """``403 SignatureDoesNotMatch``, or the bare status for an answer without a code."""
        return f"{self.status} {self.code}" if self.code else str(self.status)


def refusal(exc: Exception) -> str:
    """A short reason from a boto3 failure: the error code, or the exception's class."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(exc).__name__


class ProbeContext:
    """The target, the run's unique names, the resources to delete and small request helpers."""

    def __init__(self, target: Target, run_id: str) -> None:
        self.target = target
        self.run_id = run_id
        self.resources = Resources()
        self._buckets: dict[str, str] = {}
        self._clients: dict[str, Any] = {}
        #: The ``Server`` header of the first answer that had one.
        self.server: str | None = None

    def client(self, service: str) -> Any:
        """A cached boto3 client of the target for ``service``."""
        if service not in self._clients:
            self._clients[service] = self.target.client(service)
        return self._clients[service]

    def name(self, suffix: str) -> str:
        """A unique resource name of this run."""
        return f"presignlab-probe-{self.run_id}-{suffix}"

    def bucket(self, suffix: str = "main") -> str:
        """The run's bucket ``suffix`` in the target's region, created on first use."""
        if suffix not in self._buckets:
            name = self.name(suffix)
            options: dict[str, Any] = {"Bucket": name}
            if self.target.region != "us-east-1":
                options["CreateBucketConfiguration"] = {"LocationConstraint": self.target.region}
            self.resources.add("buckets", name)
            self.client("s3").create_bucket(**options)
            self._buckets[suffix] = name
        return self._buckets[suffix]

    def now(self) -> datetime:
        """The instant to sign at (the server's clock when the probe controls it)."""
        return self.target.now()

    def presign(
        self,
        method: str,
        key: str,
        *,
        bucket: str | None = None,
        headers: Mapping[str, str] | None = None,
        query: str = "",
        now: datetime | None = None,
        expires: int = 600,
        access_key: str | None = None,
        secret_key: str | None = None,
        session_token: str | None = None,
        region: str | None = None,
    ) -> str:
        """A SigV4 presigned URL for ``key`` (``headers`` signed; ``query`` signed as sent)."""
        target = self.target
        url = target.object_url(bucket or self.bucket(), key)
        token = session_token if access_key is not None else target.session_token
        return presign_v4(
            method,
            f"{url}?{query}" if query else url,
            access_key=access_key or target.access_key_id,
            secret_key=secret_key or target.secret_access_key,
            region=region or target.region,
            now=now or self.now(),
            expires=expires,
            headers=dict(headers or {}),
            session_token=token,
        )

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        data: bytes | None = BODY,
    ) -> Observed:
        """Send one request (no retries) and return what the endpoint answered."""
        return self._observe(send(method, url, headers=headers, data=data, timeout=30))

    def _observe(self, response: Response) -> Observed:
        if self.server is None:
            self.server = response.header("Server")
        return Observed.of(response)

    def post_form(self, url: str, fields: list[tuple[str, str]], body: bytes) -> Observed:
        """Send a browser-style ``multipart/form-data`` POST: the fields, then the file."""
        import requests

        answer = requests.post(url, data=fields, files={"file": ("probe.txt", body)}, timeout=30)
        return self._observe(as_response(answer))

    def add_user(self, suffix: str) -> str:
        """Create an IAM user of this run (registered for clean-up first)."""
        name = self.name(suffix)
        self.resources.add("users", name)
        try:
            self.client("iam").create_user(UserName=name)
        except (BotoCoreError, ClientError) as exc:
            raise NotApplicable(f"needs IAM users (CreateUser: {refusal(exc)})") from exc
        return name
