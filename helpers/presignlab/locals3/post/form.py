"""Reading a presigned POST's ``multipart/form-data`` body as a stream, the file never in memory.

S3 wants the form fields first and the file last ("The file or text content must be the last
field in the form. Any fields below it are ignored", POST Object documentation).
:class:`FormReader` reads in two steps so the server can check the signature and the policy
before the upload is stored anywhere:

1. :meth:`FormReader.read_fields` returns the fields preceding the part named ``file`` (their
   total size is limited: 400 MaxPostPreDataLengthExceededError) and stops at its headers;
2. :meth:`FormReader.spool_file` copies the file part into a ``SpooledTemporaryFile`` (memory up
   to 1 MiB, then disk), then reads the rest of the body, counting further ``file`` parts.

UNCONFIRMED choices:

* The fields preceding the file may take :data:`MAX_PRE_DATA` (20 KiB) of part headers and values.
* A body that is not well-formed multipart (no boundary, no closing delimiter, a part without a
  name) gives 400 ``MalformedPOSTRequest`` ``The body of your POST request is not well-formed
  multipart/form-data.`` (the AWS error-code list's description).
* The file is the part whose name is ``file`` in any case. Fields after it are ignored; another
  ``file`` part after it makes the request fail with IncorrectNumberOfFilesInPostRequest.
* Field values are UTF-8; undecodable bytes survive as surrogate escapes.
* Quoted Content-Disposition parameters are taken verbatim between the quotes, with no
  backslash unescaping: browsers send ``"`` as ``%22`` and a Windows path's ``\\`` as is.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from typing import IO, Protocol

from ..body.receive import BLOCK, SPOOL_IN_MEMORY
from ..wire.catalogue import incorrect_number_of_files, malformed_post, max_post_pre_data
from ..wire.errors import S3Error

__all__ = [
    "MAX_PRE_DATA",
    "FormReader",
    "boundary_of",
]

MAX_PRE_DATA = 20 * 1024
_MAX_PART_HEADERS = 8 * 1024
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("[^"]*"|[^;]*)')


class Readable(Protocol):
    def read(self, size: int) -> bytes: ...


def _params(header_value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in _PARAM.findall(header_value):
        value = value.strip()
        if value.startswith('"'):
            value = value[1:-1]
        out.setdefault(name.lower(), value)
    return out


def boundary_of(content_type: str) -> str:
    """The boundary parameter of a ``multipart/form-data`` Content-Type, or MalformedPOSTRequest."""
    boundary = _params(content_type).get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise malformed_post()
    return boundary


class FormReader:
    """A streaming ``multipart/form-data`` reader for one POST body."""

    def __init__(
        self, stream: Readable, boundary: str, *, max_pre_data: int = MAX_PRE_DATA
    ) -> None:
        self._stream = stream
        self._delimiter = b"\r\n--" + boundary.encode("latin-1")
        self._buf = bytearray(b"\r\n")  # so the first delimiter looks like the others
        self._eof = False
        self._max_pre_data = max_pre_data
        self.file_name: str | None = None
        self.file_content_type: str | None = None
        self.has_file = False

    # -- buffer ----------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self._eof:
            return False
        data = self._stream.read(BLOCK)
        if not data:
            self._eof = True
            return False
        self._buf += data
        return True

    def _take_until(self, marker: bytes, limit: int, too_large: Callable[[], S3Error]) -> bytes:
        while (at := self._buf.find(marker)) < 0:
            if len(self._buf) > limit + len(marker):
                raise too_large()
            if not self._fill():
                raise malformed_post()
        if at > limit:
            raise too_large()
        out = bytes(self._buf[:at])
        del self._buf[: at + len(marker)]
        return out

    def _pump_until_delimiter(self, sink: Callable[[bytes], object]) -> None:
        keep = len(self._delimiter) - 1
        while (at := self._buf.find(self._delimiter)) < 0:
            if len(self._buf) > keep:
                sink(bytes(self._buf[: len(self._buf) - keep]))
                del self._buf[: len(self._buf) - keep]
            if not self._fill():
                raise malformed_post()
        sink(bytes(self._buf[:at]))
        del self._buf[: at + len(self._delimiter)]

    def _after_delimiter(self) -> bool:
        """Consume what follows a delimiter; True when another part follows, False at the end."""
        while len(self._buf) < 2 and self._fill():
            pass
        if self._buf[:2] == b"--":
            return False
        self._take_until(b"\r\n", 256, malformed_post)  # transport padding, then CRLF
        return True

    def _part_headers(self, limit: int) -> tuple[dict[str, str], int]:
        while len(self._buf) < 2 and self._fill():
            pass
        if self._buf[:2] == b"\r\n":
            del self._buf[:2]
            return {}, 2
        raw = self._take_until(b"\r\n\r\n", limit, max_post_pre_data)
        headers: dict[str, str] = {}
        for line in raw.decode("utf-8", "surrogateescape").split("\r\n"):
            name, sep, value = line.partition(":")
            if not sep:
                raise malformed_post()
            headers.setdefault(name.strip().lower(), value.strip())
        return headers, len(raw) + 4

    # -- steps -----------------------------------------------------------------------------
    def read_fields(self) -> list[tuple[str, str]]:
        """The fields before the file part, names as sent; stops at the file part's headers."""
        self._pump_until_delimiter(lambda _preamble: None)
        fields: list[tuple[str, str]] = []
        used = 0
        while self._after_delimiter():
            headers, size = self._part_headers(max(0, self._max_pre_data - used))
            used += size
            disposition = _params(headers.get("content-disposition", ""))
            name = disposition.get("name")
            if name is None:
                raise malformed_post()
            if name.lower() == "file":
                self.has_file = True
                self.file_name = disposition.get("filename")
                self.file_content_type = headers.get("content-type")
                return fields
            value = bytearray()
            budget = self._max_pre_data - used

            def collect(data: bytes, value: bytearray = value, budget: int = budget) -> None:
                if len(value) + len(data) > budget:
                    raise max_post_pre_data()
                value.extend(data)

            self._pump_until_delimiter(collect)
            used += len(value)
            fields.append((name, value.decode("utf-8", "surrogateescape")))
        return fields

    def spool_file(self, observe: Callable[[bytes], object] | None = None) -> tuple[IO[bytes], int]:
        """Spool the file part (call after :meth:`read_fields` found it); ``(file at 0, size)``.

        The rest of the body is read too; a second ``file`` part raises IncorrectNumberOfFiles.
        """
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (returned)
        size = 0

        def write(data: bytes) -> None:
            nonlocal size
            size += len(data)
            if observe is not None:
                observe(data)
            spool.write(data)

        try:
            self._pump_until_delimiter(write)
            while self._after_delimiter():
                headers, _ = self._part_headers(_MAX_PART_HEADERS)
                name = _params(headers.get("content-disposition", "")).get("name", "")
                if name.lower() == "file":
                    raise incorrect_number_of_files()
                self._pump_until_delimiter(lambda _ignored: None)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool, size

    def drain(self) -> None:
        """Read and drop the rest of the body."""
        self._buf.clear()
        while self._fill():
            self._buf.clear()
