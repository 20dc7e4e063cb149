"""Split a pasted shell command into its words, as bash or as Windows cmd would.

Browsers copy a request "as cURL" in two dialects (Chromium DevTools, ``generateCurlCommand``):
for bash, arguments in single quotes or ANSI-C ``$'...'`` quotes, lines joined by ``\\``;
for cmd, arguments in ``"..."`` or ``^"...^"`` with ``^`` escaping the next character, lines
joined by ``^``. :func:`shell_words` guesses the dialect and splits; an unterminated quote
raises :class:`~.errors.InputError`.
"""

from __future__ import annotations

import re

from .errors import InputError

__all__ = ["bash_words", "cmd_words", "shell_words"]

_C_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
              "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}  # fmt: skip
_C_NUMERIC = re.compile(r"x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3})")
_CMD = re.compile(r"\^[\"\r\n%&<>|^]|\^\s*$", re.MULTILINE)


def _ansi_c(text: str, start: int) -> tuple[str, int]:
    """The text of a ``$'...'`` word from ``start`` (after the quote) and the index after it."""
    out: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if char == "'":
            return "".join(out), i + 1
        if char == "\\" and i + 1 < len(text):
            numeric = _C_NUMERIC.match(text, i + 1)
            if text[i + 1] in _C_ESCAPES:
                out.append(_C_ESCAPES[text[i + 1]])
                i += 2
                continue
            if numeric:
                digits = next(g for g in numeric.groups() if g is not None)
                out.append(chr(int(digits, 8 if numeric.group(4) else 16) % 0x110000))
                i = numeric.end()
                continue
        out.append(char)
        i += 1
    raise InputError("The command has a $'...' quote that is never closed: copy the whole command.")


def bash_words(text: str) -> list[str]:
    """The words of a bash command line (quotes, ANSI-C quotes, backslashes, continuations)."""
    words: list[str] = []
    word: list[str] = []
    started, i = False, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            if text[i + 1] == "\n":
                i += 2
                continue
            word.append(text[i + 1])
            started, i = True, i + 2
        elif char in " \t\r\n":
            if started:
                words.append("".join(word))
            word, started, i = [], False, i + 1
        elif char == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise InputError(
                    "The command has a '...' quote that is never closed: copy the whole command."
                )
            word.append(text[i + 1 : end])
            started, i = True, end + 1
        elif char == "$" and text.startswith("$'", i):
            part, i = _ansi_c(text, i + 2)
            word.append(part)
            started = True
        elif char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in '"\\$`\n':
                    i += 1
                    if text[i] == "\n":
                        i += 1
                        continue
                word.append(text[i])
                i += 1
            if i >= len(text):
                raise InputError(
                    'The command has a "..." quote that is never closed: copy the whole command.'
                )
            started, i = True, i + 1
        else:
            word.append(char)
            started, i = True, i + 1
    if started:
        words.append("".join(word))
    return words


def cmd_words(text: str) -> list[str]:
    """The words of a cmd.exe command line: carets removed, then the C runtime's quoting rules."""
    plain = re.sub(r"\^\r?\n", "", text)
    plain = re.sub(r"\^(.)", r"\1", plain, flags=re.DOTALL)
    words: list[str] = []
    word: list[str] = []
    started, quoted, i = False, False, 0
    while i < len(plain):
        char = plain[i]
        if char == "\\":
            run = len(plain[i:]) - len(plain[i:].lstrip("\\"))
            if i + run < len(plain) and plain[i + run] == '"':
                word.append("\\" * (run // 2))
                if run % 2:
                    word.append('"')
                    i += run + 1
                else:
                    i += run
                started = True
                continue
            word.append("\\" * run)
            started, i = True, i + run
        elif char == '"':
            quoted, started, i = not quoted, True, i + 1
        elif char in " \t\r\n" and not quoted:
            if started:
                words.append("".join(word))
            word, started, i = [], False, i + 1
        else:
            word.append(char)
            started, i = True, i + 1
    if quoted:
        raise InputError(
            'The command has a "..." quote that is never closed: copy the whole command.'
        )
    if started:
        words.append("".join(word))
    return words


def shell_words(text: str) -> list[str]:
    """The words of a pasted command, in the cmd dialect when it uses carets, else bash."""
    return cmd_words(text) if _CMD.search(text) else bash_words(text)
