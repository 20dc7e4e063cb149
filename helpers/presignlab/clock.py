"""A controllable clock, so expiry can be shown instantly and deterministically.

Every time-based check of the strict local S3 (URL expiry, not-yet-valid, session-token
lifetime, POST policy expiration) asks a :class:`Clock`. By default it follows real time;
``set`` pins it to an instant, ``advance`` moves it forward, and ``resume`` returns to real
time (keeping any offset is not wanted: after ``resume`` it is real time again).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

__all__ = ["Clock"]


class Clock:
    """Real UTC time unless set. Thread-safe; every reading is a timezone-aware UTC datetime."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        if frozen_at is not None:
            self.set(frozen_at)

    def now(self) -> datetime:
        """The current instant: the pinned one, or real time plus any advance."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def set(self, instant: datetime | str) -> datetime:
        """Pin the clock to ``instant`` (aware datetime, or ISO 8601 text; naive means UTC)."""
        value = (
            datetime.fromisoformat(instant.replace("Z", "+00:00"))
            if isinstance(instant, str)
            else instant
        )
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        with self._lock:
            self._frozen = value
        return value

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        """Move forward by ``seconds`` (plus ``minutes=``, ``hours=``, ``days=``); returns the new now."""
        step = timedelta(seconds=seconds, **kwargs)
        with self._lock:
            if self._frozen is not None:
                self._frozen += step
            else:
                self._offset += step
        return self.now()

    def resume(self) -> datetime:
        """Go back to real time."""
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)
        return self.now()

    @property
    def is_real(self) -> bool:
        """True when the clock follows real time with no offset."""
        with self._lock:
            return self._frozen is None and self._offset == timedelta(0)
