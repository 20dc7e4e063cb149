"""Object keys the server chooses: a prefix, a random id and a sanitised display name.

A client-chosen key lets any caller overwrite any object the signer may write (``uploads/../
index.html`` is just another key to S3; tools that map keys to paths follow the ``..``).
:func:`object_key` keeps only a display name from what the client sends:

* only the last path segment (``/`` and ``\\`` both split), so no directory survives;
* letters, digits, ``.``, ``_`` and ``-`` are kept, every other run (spaces, control
  characters, quotes, ``%``, non-ASCII) becomes one ``_``;
* runs of dots become one dot (no ``..``), and leading dots, ``_`` and ``-`` are dropped (no
  hidden files, nothing that reads as an option);
* at most :data:`MAX_NAME_LENGTH` characters, keeping a short extension;
* an empty result becomes ``file``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

__all__ = ["DEFAULT_NAME", "MAX_NAME_LENGTH", "display_name", "object_key", "uuid4_hex"]

#: The display name used when nothing usable is left of the client's name.
DEFAULT_NAME = "file"
#: The longest display name kept.
MAX_NAME_LENGTH = 100
_MAX_EXTENSION = 10
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")
_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def uuid4_hex() -> str:
    """A random id: 32 lower-case hex digits (``uuid.uuid4().hex``)."""
    return uuid.uuid4().hex


def display_name(raw: str | None, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """The safe display name kept from a client's file name (see the module docstring)."""
    last = re.split(r"[/\\]", raw or "")[-1]
    name = _DOTS.sub(".", _UNSAFE.sub("_", last)).lstrip("._-")
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= _MAX_EXTENSION:
            name = f"{stem[: max_length - len(extension) - 1]}.{extension}"
        else:
            name = name[:max_length]
        name = name.lstrip("._-")
    return name.rstrip(".") or DEFAULT_NAME


def object_key(prefix: str, raw_name: str | None, id_factory: Callable[[], str] = uuid4_hex) -> str:
    """``f"{prefix}{id}/{display_name(raw_name)}"``.

    ``id_factory`` must return 1-64 letters, digits or ``-`` (ValueError otherwise).
    """
    object_id = id_factory()
    if not _ID.match(object_id):
        raise ValueError("id_factory must return 1-64 letters, digits or '-'")
    return f"{prefix}{object_id}/{display_name(raw_name)}"
