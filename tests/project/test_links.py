"""Every relative link in the notebooks' markdown and in the repository's Markdown files resolves.

A link to another notebook, a doc or any file must name a file (or folder) that exists, and a
``#fragment`` must name a heading (or an ``<a id=...>``/``<a name=...>``) of the target. Links are
read with markdown-it-py (CommonMark plus tables), so text in code spans and fenced blocks is not
taken for a link; inline HTML ``href``/``src`` attributes count too. Links with a scheme
(``https:``, ``mailto:``) are left to the reader.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"build", "dist", "node_modules", "__pycache__"}
MARKDOWN_FILES = sorted(
    p
    for p in ROOT.rglob("*.md")
    if not any(part.startswith(".") or part in SKIP_DIRS for part in p.relative_to(ROOT).parts)
)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
HTML_ANCHOR = re.compile(r"""<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)

PARSER = MarkdownIt("commonmark").enable("table")


def markdown_of(path: Path) -> list[str]:
    """The Markdown texts of a file: the file itself, or a notebook's markdown cells."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    return [path.read_text(encoding="utf-8")]


def links(markdown: str) -> list[str]:
    """Every link target and image source in ``markdown``, in order."""
    found = []
    for token in PARSER.parse(markdown):
        if token.type in ("html_block", "html_inline"):
            found += HTML_LINK.findall(token.content)
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child.attrGet("href"))
            elif child.type == "image":
                found.append(child.attrGet("src"))
            elif child.type == "html_inline":
                found += HTML_LINK.findall(child.content)
    return found


def _plain(inline) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def jupyter_slug(heading: str) -> str:
    """The anchor JupyterLab gives a heading in a notebook: the text, spaces as hyphens."""
    return heading.strip().replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """Every fragment that lands somewhere in ``path`` (headings, then explicit HTML anchors)."""
    found: set[str] = set()
    slugs: dict[str, int] = {}
    for markdown in markdown_of(path):
        tokens = PARSER.parse(markdown)
        for token, following in pairwise(tokens):
            if token.type == "heading_open":
                heading = _plain(following)
                slug = github_slug(heading)
                count = slugs.get(slug, 0)
                slugs[slug] = count + 1
                found.add(slug if count == 0 else f"{slug}-{count}")
                if path.suffix == ".ipynb":
                    found.add(jupyter_slug(heading))
        found.update(HTML_ANCHOR.findall(markdown))
    return frozenset(found)


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """The relative links in ``path`` that name no existing file, or no anchor in their target.

    A path starting with ``/`` is read from ``root``, the repository, as GitHub does.
    """
    broken = []
    for markdown in markdown_of(path):
        for target in links(markdown):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                continue
            where = unquote(parts.path)
            if where.startswith("/"):
                resolved = root / where.lstrip("/")
            else:
                resolved = (path.parent / where) if where else path
            if not resolved.exists():
                broken.append(f"{target}: no file {os.path.relpath(resolved, root)}")
            elif parts.fragment and resolved.is_file():
                fragment = unquote(parts.fragment)
                if resolved.suffix in (".md", ".ipynb") and fragment not in anchors(resolved):
                    broken.append(f"{target}: no heading or anchor #{fragment} there")
    return broken


def test_the_documents_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in MARKDOWN_FILES}
    assert {"README.md", "docs/ARCHITECTURE.md", "docs/finding-codes.md"} <= names
    assert len(NOTEBOOKS) >= 11


@pytest.mark.parametrize(
    "path", MARKDOWN_FILES + NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_relative_links_resolve(path: Path) -> None:
    assert broken_links(path) == []


def test_readme_links_every_notebook() -> None:
    targets = set(links((ROOT / "README.md").read_text(encoding="utf-8")))
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.name}" not in targets]
    assert not missing, f"README's notebook table lacks {missing}"


# The checker itself: it must catch a missing file and a missing anchor, and only those.


def test_the_checker_catches_broken_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# The guide\n\n## Set-up, step by step\n")
    page = tmp_path / "README.md"
    page.write_text(
        "# Title\n\n"
        "[ok](docs/guide.md) [ok](docs/guide.md#set-up-step-by-step) [ok](#title) [ok](docs/)\n"
        "[ok](/docs/guide.md#the-guide) [bad](/guide.md)\n"
        "[ok](https://example.com/missing.md) `[not a link](missing.md)`\n\n"
        "| a | b |\n|---|---|\n| [bad](docs/missing.md) | [bad](docs/guide.md#nowhere) |\n\n"
        '<img src="img/missing.png">\n\n'
        "```\n[not a link](gone.md)\n```\n\n"
        "[bad][ref] [bad](#no-such-heading)\n\n[ref]: ../outside.md\n"
    )
    assert broken_links(page, root=tmp_path) == [
        "/guide.md: no file guide.md",
        "docs/missing.md: no file docs/missing.md",
        "docs/guide.md#nowhere: no heading or anchor #nowhere there",
        "img/missing.png: no file img/missing.png",
        "../outside.md: no file ../outside.md",
        "#no-such-heading: no heading or anchor #no-such-heading there",
    ]


def test_notebook_anchors_are_github_or_jupyterlab_slugs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## What's next\n\n## Summary")]
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    assert {"whats-next", "What's-next", "summary", "Summary"} <= anchors(path)
