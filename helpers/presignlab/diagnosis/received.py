"""The request as Amazon S3 reads it, which is not always the request as written.

S3 decodes a raw ``+`` in the path of an object URL as a space (the legacy form decoding of
its front end), so ``/a+b.txt`` names the key ``a b.txt`` and S3's echoed CanonicalRequest
shows ``/a%20b.txt``; a literal plus must travel as ``%2B``. Sources: the aws-sdk-ruby
maintainer in aws/aws-sdk-ruby#654 (``document+copy.pdf`` is the key ``document copy.pdf``),
nginx/nginx-s3-gateway#77 (S3's CanonicalRequest showed ``+`` as ``%20``), imgix/js-core#88,
Automattic/knox#267, dnbert/prm#46. S3-compatible stores differ: some read ``+`` literally.

:func:`as_s3_reads` turns the described request into what S3 receives; :func:`s3_key_path`
decodes a raw path the same way.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from ..signing.sent_request import SentRequest
from ..signing.uri import percent_decode

__all__ = ["PLUS_NOTE", "as_s3_reads", "raw_path", "s3_key_path"]

PLUS_NOTE = (
    "The path has a raw '+': Amazon S3 reads it as a space (a literal '+' in a key must be sent "
    "as %2B), so this diagnosis reads it as a space too. Some S3-compatible stores read '+' "
    "literally; S3's error body, when given, shows what the server really read."
)


def raw_path(url: str) -> str:
    """The path of ``url`` exactly as written (``/`` when empty)."""
    return urlsplit(url.strip()).path or "/"


def s3_key_path(path: str) -> str:
    """A raw URL path decoded as Amazon S3 decodes it: ``+`` is a space, then ``%XX`` escapes."""
    return percent_decode(path or "/", plus_is_space=True, what="the path")


def as_s3_reads(url: str, request: SentRequest) -> tuple[SentRequest, bool]:
    """``request`` (sent to ``url``) with the path as S3 reads it; True when a raw '+' changed it."""
    written = raw_path(url)
    if "+" not in written:
        return request, False
    return replace(request, path=s3_key_path(written)), True
