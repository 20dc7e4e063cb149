"""Bounds on what a request may make the server do: sizes and nesting of the documents it sends.

Every parser in the strict layer reads bounded input. JSON documents (bucket and IAM policies,
POST policies) are checked for nesting before :func:`json.loads` sees them, because Python's
parser recurses once per level and a document nested a few thousand deep would raise
``RecursionError`` (a 500) instead of the 400 S3 answers. XML bodies are checked by
:mod:`presignlab.locals3.body.xml_guard`.
"""

from __future__ import annotations

__all__ = [
    "MAX_BUCKET_POLICY_BYTES",
    "MAX_CONFIG_BODY",
    "MAX_JSON_DEPTH",
    "MAX_OBJECT_SIZE",
    "MAX_XML_DEPTH",
    "json_too_deep",
]

#: S3 User Guide: "Bucket policies are limited to 20 KB in size."
MAX_BUCKET_POLICY_BYTES = 20 * 1024
#: The largest object a single PutObject or UploadPart may carry (5 GiB).
MAX_OBJECT_SIZE = 5 * 1024 * 1024 * 1024
#: Our bound on the body of an operation that is not an upload (XML configuration, JSON).
MAX_CONFIG_BODY = 2 * 1024 * 1024
#: Our bound on the nesting of a JSON document (real policies nest four or five levels).
MAX_JSON_DEPTH = 32
#: Our bound on the nesting of an XML body (S3's schemas nest a handful of levels).
MAX_XML_DEPTH = 32


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` nests arrays and objects deeper than ``limit`` (strings are skipped)."""
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False
