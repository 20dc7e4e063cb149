"""The streaming multipart reader of presigned POST: any chunking reads the same form."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.locals3.post.form import FormReader, boundary_of
from presignlab.locals3.wire.errors import S3Error

BOUNDARY = "xYzZY-boundary"


class Trickle:
    """A stream that returns at most ``step`` bytes per read, like a slow socket."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def read(self, size: int) -> bytes:
        return self._data.read(min(size, self._step))


def part(name: str, value: str) -> bytes:
    disposition = f'Content-Disposition: form-data; name="{name}"'
    return f"--{BOUNDARY}\r\n{disposition}\r\n\r\n{value}\r\n".encode()


def body(fields: list[tuple[str, str]], content: bytes, tail: list[tuple[str, str]]) -> bytes:
    out = io.BytesIO(b"preamble\r\n")
    for name, value in fields:
        out.write(part(name, value))
    out.write(
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="File"; filename="a b.txt"\r\n\r\n'
    )
    out.write(content + b"\r\n")
    for name, value in tail:
        out.write(part(name, value))
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=4),
    content=st.binary(max_size=300),
    step=st.integers(min_value=1, max_value=40),
)
def test_any_chunking_reads_the_same_form(values: list[str], content: bytes, step: int) -> None:
    fields = [(f"x-ignore-{i}", v.replace("\r", "")) for i, v in enumerate(values)]
    raw = body(fields, content + b"\r\n--" + BOUNDARY.encode()[:-1], [("after", "ignored")])
    reader = FormReader(Trickle(raw, step), BOUNDARY)
    assert reader.read_fields() == fields
    assert reader.has_file and reader.file_name == "a b.txt"
    spool, size = reader.spool_file()
    assert (
        spool.read() == content + b"\r\n--" + BOUNDARY.encode()[:-1] and size == len(content) + 17
    )


def test_boundary_from_content_type() -> None:
    assert boundary_of('multipart/form-data; boundary="abc def"') == "abc def"
    with pytest.raises(S3Error) as info:
        boundary_of("multipart/form-data")
    assert info.value.code == "MalformedPOSTRequest"


def test_truncated_body_is_malformed() -> None:
    raw = body([("key", "k")], b"data" * 10, [])[:-30]
    reader = FormReader(io.BytesIO(raw), BOUNDARY)
    assert reader.read_fields() == [("key", "k")]
    with pytest.raises(S3Error) as info:
        reader.spool_file()
    assert info.value.code == "MalformedPOSTRequest"
