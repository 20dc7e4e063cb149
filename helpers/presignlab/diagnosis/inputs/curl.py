"""Read a ``curl`` command (a browser's "Copy as cURL", bash or cmd) into the request it sends.

The method (``-X``; ``-I`` is HEAD, ``-T`` PUT, data POST, otherwise GET), the URL, the
headers (``-H 'Name: value'``, ``-H 'Name;'`` for an empty value; ``-A``, ``-e``, ``-r`` and
``-b`` as the headers they set) and, when the data is inline, the body's size. Options that
do not change the request (``--compressed``, ``-k``, ``-s``, ``-v``, ...) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .shell_words import shell_words

__all__ = ["CurlRequest", "parse_curl"]

#: The largest command read, in characters.
MAX_CURL = 256 * 1024
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode"}
_HEADER_OPTIONS = {"-A": "User-Agent", "--user-agent": "User-Agent", "-e": "Referer",
                   "--referer": "Referer", "-r": "Range", "--range": "Range", "-b": "Cookie",
                   "--cookie": "Cookie"}  # fmt: skip
_WITH_ARGUMENT = {
    "-X", "--request", "-H", "--header", "-T", "--upload-file", "-F", "--form", "--url", "-u",
    "--user", "-o", "--output", "-w", "--write-out", "-m", "--max-time", "--connect-timeout",
    "-x", "--proxy", "--cacert", "--cert", "--key", "--resolve", "--retry", "-K", "--config",
    "-c", "--cookie-jar", "-D", "--dump-header", "--limit-rate", "--max-filesize", "-U",
    "--proxy-user", "--interface", "--form-string", "--connect-to", "--variable",
    *_DATA, *_HEADER_OPTIONS,
}  # fmt: skip


@dataclass(frozen=True)
class CurlRequest:
    """The request a curl command sends. ``body_size`` is None when the body is in a file."""

    url: str
    method: str
    headers: tuple[tuple[str, str], ...]
    body_size: int | None


def _options(words: list[str]) -> list[tuple[str, str | None]]:
    """``(option, argument)`` pairs and ``("", url)`` for plain words; ``-XPUT`` is split."""
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and len(word) > 2 and word[1] != "-" and word[:2] in _WITH_ARGUMENT:
            out.append((word[:2], word[2:]))
        elif word in _WITH_ARGUMENT:
            if i + 1 >= len(words):
                raise InputError(f"The curl option {word} has no value: copy the whole command.")
            out.append((word, words[i + 1]))
            i += 1
        elif word.startswith("-") and word != "-":
            out.append((word, None))
        else:
            out.append(("", word))
        i += 1
    return out


def _header(value: str) -> tuple[str, str] | None:
    name, colon, rest = value.partition(":")
    if colon:
        return (name.strip(), rest.strip()) if rest.strip() else None  # "Name:" removes a header
    if value.rstrip().endswith(";"):
        return value.rstrip()[:-1].strip(), ""
    raise InputError(f"The curl header {value[:60]!r} is not 'Name: value'.")


def parse_curl(command: str) -> CurlRequest:
    """The request of a pasted ``curl`` command; :class:`InputError` when it is not one."""
    if not isinstance(command, str) or len(command) > MAX_CURL:
        raise InputError(f"A curl command is text of at most {MAX_CURL} characters.")
    words = shell_words(command.strip())
    if not words or words[0].lower() not in ("curl", "curl.exe"):
        raise InputError(
            'This is not a curl command: it must start with curl (use the browser\'s "Copy as cURL").'
        )
    url, method, headers, sizes, files = None, None, [], [], False
    upload = head = get = False
    for option, value in _options(words[1:]):
        if option in ("", "--url") and value is not None and url is None:
            url = value
        elif option in ("-X", "--request") and value:
            method = value.upper()
        elif option in ("-H", "--header") and value is not None:
            pair = _header(value)
            headers += [pair] if pair else []
        elif option in _HEADER_OPTIONS and value is not None:
            headers.append((_HEADER_OPTIONS[option], value))
        elif option in _DATA and value is not None:
            files = files or (value.startswith("@") and option != "--data-raw")
            sizes.append(len(value.encode("utf-8", "surrogateescape")))
        elif option in ("-T", "--upload-file", "-F", "--form", "--form-string"):
            upload, files = upload or option in ("-T", "--upload-file"), True
        elif option in ("-I", "--head"):
            head = True
        elif option in ("-G", "--get"):
            get = True
    if url is None:
        raise InputError("The curl command names no URL.")
    inferred = (
        "HEAD" if head else "PUT" if upload else "GET" if get or not (sizes or files) else "POST"
    )
    size = None if files or not sizes else sum(sizes) + len(sizes) - 1
    return CurlRequest(
        url, method or inferred, tuple(headers), 0 if not sizes and not files else size
    )
