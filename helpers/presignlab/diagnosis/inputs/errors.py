"""The error the input readers raise: the text given is not what the option expects."""

from __future__ import annotations

from ...errors import PresignLabError

__all__ = ["InputError"]


class InputError(PresignLabError, ValueError):
    """A ``--curl`` command, ``--har`` file or ``--cors`` rule set that cannot be read."""
