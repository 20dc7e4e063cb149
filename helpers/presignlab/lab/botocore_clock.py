"""Make botocore read the time from a :class:`~presignlab.clock.Clock` (the local lab only).

botocore 1.44 reads the time in these places, and this module replaces exactly these:

* ``botocore.auth.get_current_datetime``: X-Amz-Date of every SigV4 request and presigned URL
  (``SigV4Auth``, ``SigV4QueryAuth``, ``S3SigV4QueryAuth``, ``S3SigV4PostAuth``, S3 Express);
* ``botocore.signers.get_current_datetime``: the ``expiration`` of a presigned POST policy;
* ``botocore.crt.auth.get_current_datetime``: the same for the CRT signers botocore uses when
  awscrt is installed;
* ``botocore.auth.HmacV1Auth._get_date``: the ``Date`` header of SigV2 requests
  (``email.utils.formatdate()`` reads ``time.time()``);
* ``botocore.auth.HmacV1QueryAuth._get_date``: ``Expires`` of SigV2 presigned URLs, which is
  ``time.time() + expires`` in botocore;
* ``botocore.credentials._local_now``: when refreshable (temporary) credentials count as
  expired.

:func:`follow_clock` installs all of them at once and :func:`unfollow_clock` puts botocore's
own functions back; nothing else in the kit patches botocore. The replacements read the clock
given last, so a re-opened lab can hand over a new clock without patching twice.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any

from ..clock import Clock

__all__ = ["follow_clock", "followed_clock", "unfollow_clock"]

_lock = threading.Lock()
_clock: Clock | None = None
_originals: list[tuple[Any, str, Any]] = []


def _now() -> datetime:
    clock = _clock
    return clock.now() if clock is not None else datetime.now(UTC)


def _current_datetime(remove_tzinfo: bool = True) -> datetime:
    now = _now()
    return now.replace(tzinfo=None) if remove_tzinfo else now


def _hmacv1_date(self: Any) -> str:
    return formatdate(_now().timestamp(), usegmt=True)


def _hmacv1_query_expires(self: Any) -> str:
    return str(int(_now().timestamp() + int(self._expires)))


def _local_now() -> datetime:
    return _now()


def _targets() -> list[tuple[Any, str, Any]]:
    import botocore.auth
    import botocore.credentials
    import botocore.signers

    targets: list[tuple[Any, str, Any]] = []
    try:  # with awscrt installed, botocore signs SigV4 through the CRT and reads the time there
        import botocore.crt.auth as crt_auth

        targets.append((crt_auth, "get_current_datetime", _current_datetime))
    except ImportError:
        pass
    return [
        *targets,
        (botocore.auth, "get_current_datetime", _current_datetime),
        (botocore.signers, "get_current_datetime", _current_datetime),
        (botocore.auth.HmacV1Auth, "_get_date", _hmacv1_date),
        (botocore.auth.HmacV1QueryAuth, "_get_date", _hmacv1_query_expires),
        (botocore.credentials, "_local_now", _local_now),
    ]


def follow_clock(clock: Clock) -> None:
    """Make botocore's signing clock read ``clock`` from now on (idempotent)."""
    global _clock
    with _lock:
        _clock = clock
        if _originals:
            return
        for owner, name, replacement in _targets():
            _originals.append((owner, name, owner.__dict__[name]))
            setattr(owner, name, replacement)


def unfollow_clock() -> None:
    """Give botocore its own clock back (a no-op when nothing is patched)."""
    global _clock
    with _lock:
        while _originals:
            owner, name, original = _originals.pop()
            setattr(owner, name, original)
        _clock = None


def followed_clock() -> Clock | None:
    """The clock botocore follows, or None when botocore reads real time."""
    with _lock:
        return _clock if _originals else None
