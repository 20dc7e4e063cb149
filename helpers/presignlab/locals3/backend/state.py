"""Everything the strict local S3 needs from moto, in one place.

moto keeps its state in process-global backends. :func:`reset_state` gives a fresh world (the
same reset moto's ``/moto-api/reset`` performs), so each :class:`~presignlab.locals3.LocalS3`
starts empty; this is why only one LocalS3 may run per process at a time.

We call moto's per-service Flask applications (``create_backend_app``) directly instead of its
``DomainDispatcherApplication``: our pipeline already knows the service (``s3``, ``iam`` or
``sts``), and moto's dispatcher would sniff bodies and print to stdout for unknown services.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "MOTO_ACCOUNT_ID",
    "SERVICES",
    "backend_app",
    "bucket_exists",
    "bucket_region",
    "iam_backend",
    "object_etag",
    "quiet_loggers",
    "reset_state",
    "sts_backends_for",
]

#: moto's default account, which every key our store knows maps to.
MOTO_ACCOUNT_ID = "123456789012"
#: The services the endpoint answers.
SERVICES = ("s3", "iam", "sts")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_apps: dict[str, WsgiApp] = {}
_apps_lock = threading.Lock()

_NOISY_LOGGERS = ("werkzeug", "moto", "flask_cors", "flask.app", "botocore.credentials")


def quiet_loggers() -> None:
    """Stop moto, Flask and werkzeug from writing request logs to stdout/stderr."""
    for name in _NOISY_LOGGERS:
        log = logging.getLogger(name)
        log.setLevel(logging.ERROR)
        log.propagate = False
        if not log.handlers:
            log.addHandler(logging.NullHandler())


def backend_app(service: str) -> WsgiApp:
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


def iam_backend(account_id: str) -> Any:
    """moto's IAM backend of ``account_id`` (partition ``aws``)."""
    from moto.iam.models import iam_backends

    return iam_backends[account_id]["aws"]


def sts_backends_for(account_id: str) -> Any:
    """moto's STS backend of ``account_id`` (partition ``aws``), which holds assumed roles."""
    from moto.sts.models import sts_backends

    return sts_backends[account_id]["aws"]


def object_etag(account_id: str, bucket: str, key: str) -> str | None:
    """The ETag of the current version of ``bucket/key``, or None when there is none."""
    from moto.s3.models import FakeKey

    found = _s3_backend(account_id).buckets.get(bucket)
    current = None if found is None else found.keys.get(key)
    # A versioned bucket's latest entry may be a delete marker, which has no ETag.
    return str(current.etag) if isinstance(current, FakeKey) else None
