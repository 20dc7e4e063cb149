"""Structural checks on every notebook: the STYLE.md skeleton, executed outputs, no secrets.

nbval (``make test``) checks that the notebooks still produce their stored outputs; these tests
check what nbval does not: the file name, the skeleton headings and their order, that the
Overview lists the content sections, that the notebook was run top to bottom in one kernel,
that links point to notebooks that exist, and that no credential is written anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))

#: The headings every notebook has, in this order; content sections go between Imports and Summary.
SKELETON_BEFORE = ("Overview", "Prerequisites", "Imports")
SKELETON_AFTER = ("Summary", "What's next", "References")

EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#: A 40-character AWS secret access key standing alone (the pattern git-secrets uses), mixed case;
#: not a run that continues a dotted name (the path after a URL's ``.com``).
SECRET_LIKE = re.compile(
    r"(?<![A-Za-z0-9/+=.])(?=[A-Za-z0-9/+=]*[a-z])(?=[A-Za-z0-9/+=]*[A-Z])"
    r"[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])"
)
SESSION_TOKEN = [
    re.compile(r"X-Amz-Security-Token=[^&\s\"'<]{16,}", re.IGNORECASE),
    re.compile(r"x-amz-security-token[\"']?\s*[:=]\s*[\"'][A-Za-z0-9/+=]{16,}[\"']", re.IGNORECASE),
    re.compile(r"aws_session_token\s*=\s*[\"'][^\"']+", re.IGNORECASE),
    re.compile(r"\b(IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)"),  # how STS session tokens begin
]
#: The signing API's bearer token (``secrets.token_urlsafe(32)``: 43 URL-safe characters).
BEARER_TOKEN = re.compile(r"Bearer\s+[A-Za-z0-9_-]{20,}")
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^(#{1,6}) +(.+?) *$", re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+\.ipynb)(#[^)]*)?\)")
IMPORT_LINE = re.compile(r"^\s*(import \w|from [\w.]+ import )", re.MULTILINE)


def test_there_are_notebooks() -> None:
    assert {p.name for p in PATHS} >= {
        "00-overview.ipynb",
        "01-anatomy-of-a-presigned-url.ipynb",
        "02-signing-by-hand.ipynb",
    }


def _read(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _headings(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(level, text) of every markdown heading, ignoring fenced code blocks."""
    found = []
    for source in _markdown(nb):
        for hashes, text in HEADING.findall(FENCE.sub("", source)):
            found.append((len(hashes), text))
    return found


def _section(nb: nbformat.NotebookNode, title: str) -> str:
    """The markdown text under ``## title`` up to the next ``#``/``##`` heading."""
    text = "\n\n".join(FENCE.sub("", s) for s in _markdown(nb))
    match = re.search(
        rf"^## {re.escape(title)} *\n(.*?)(?=^#{{1,2}} |\Z)", text, re.DOTALL | re.MULTILINE
    )
    assert match, f"no '## {title}' section"
    return match.group(1)


def _output_texts(cell: nbformat.NotebookNode) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            texts.append(output.text)
        elif output.output_type == "error":
            texts += [output.ename, output.evalue, *output.traceback]
        else:
            texts += [v if isinstance(v, str) else str(v) for v in output.get("data", {}).values()]
    return texts


@pytest.fixture(params=PATHS, ids=[p.stem for p in PATHS])
def notebook(request: pytest.FixtureRequest) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, _read(request.param)


def test_file_name_is_numbered_kebab_case(notebook) -> None:
    path, _ = notebook
    assert re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", path.name)


def test_kernel_is_python3(notebook) -> None:
    _, nb = notebook
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_one_title_first(notebook) -> None:
    _, nb = notebook
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# ")
    assert [text for level, text in _headings(nb) if level == 1] == [
        nb.cells[0].source[2:].splitlines()[0]
    ]


def test_skeleton_headings_in_order(notebook) -> None:
    _, nb = notebook
    second = [text for level, text in _headings(nb) if level == 2]
    for name in SKELETON_BEFORE + SKELETON_AFTER:
        assert second.count(name) == 1, f"'## {name}' must appear exactly once"
    positions = [second.index(name) for name in SKELETON_BEFORE + SKELETON_AFTER]
    assert positions == sorted(positions), second
    assert second[: len(SKELETON_BEFORE)] == list(SKELETON_BEFORE), second
    assert second[-len(SKELETON_AFTER) :] == list(SKELETON_AFTER), second


def test_overview_lists_the_content_sections(notebook) -> None:
    _, nb = notebook
    second = [text for level, text in _headings(nb) if level == 2]
    content = second[len(SKELETON_BEFORE) : -len(SKELETON_AFTER)]
    items = re.findall(r"^\d+\. +(.+?) *$", _section(nb, "Overview"), re.MULTILINE)
    assert content, "a notebook needs at least one content section"
    assert items == content


def test_prerequisites_say_time_to_learn(notebook) -> None:
    _, nb = notebook
    assert "Time to learn" in _section(nb, "Prerequisites")


def test_one_imports_cell_right_after_the_imports_heading(notebook) -> None:
    _, nb = notebook
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first = code[0]
    assert "## Imports" in nb.cells[first - 1].source, (
        "the first code cell must follow '## Imports'"
    )
    assert IMPORT_LINE.search(nb.cells[first].source)
    for i in code[1:]:
        assert not IMPORT_LINE.search(nb.cells[i].source), (
            f"cell {i} imports: put it in the Imports cell"
        )


def test_no_sys_path_manipulation(notebook) -> None:
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "sys.path" not in cell.source
            assert "PYTHONPATH" not in cell.source


def test_whats_next_and_links_point_to_existing_notebooks(notebook) -> None:
    path, nb = notebook
    for source in _markdown(nb):
        for target, _ in LINK.findall(source):
            assert "://" not in target and (path.parent / target).is_file(), f"broken link {target}"
    assert LINK.search(_section(nb, "What's next")), "What's next must link a notebook"


def test_references_cite_aws_documentation(notebook) -> None:
    _, nb = notebook
    assert "https://docs.aws.amazon.com/" in _section(nb, "References")


def test_executed_top_to_bottom_with_outputs(notebook) -> None:
    _, nb = notebook
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), (
        "run the notebook top to bottom in a fresh kernel before committing"
    )
    assert any(c.outputs for c in cells), "commit the notebook with its outputs"
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in cell.metadata.get("tags", []):
            assert errors, f"cell tagged raises-exception did not raise:\n{cell.source}"
        else:
            assert not errors, f"unexpected error in:\n{cell.source}"


def test_no_secret_key_or_session_token(notebook) -> None:
    _, nb = notebook
    texts = []
    for cell in nb.cells:
        texts.append(cell.source)
        texts += _output_texts(cell)
    for text in texts:
        assert EXAMPLE_SECRET not in text
        assert not SECRET_LIKE.search(text), SECRET_LIKE.search(text).group()
        for pattern in SESSION_TOKEN:
            assert not pattern.search(text), pattern.search(text).group()
        assert not BEARER_TOKEN.search(text), "the signing API's bearer token is shown"


def test_the_secret_check_catches_secrets() -> None:
    assert SECRET_LIKE.search(f"key = '{EXAMPLE_SECRET}'")
    assert not SECRET_LIKE.search(
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )
    assert not SECRET_LIKE.search("AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request")
    assert not SECRET_LIKE.search(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html"
    )
    assert SECRET_LIKE.search(f"the key: {EXAMPLE_SECRET}.")
    assert BEARER_TOKEN.search("Authorization: Bearer 3q2-7wX_9kPzLmN4vB8cR1tYe6uI0oA5sD2fG7hJ9kL")
    assert not BEARER_TOKEN.search("Authorization: Bearer <token>")
    assert any(
        p.search("?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN") for p in SESSION_TOKEN
    )
    assert any(
        p.search('{"x-amz-security-token": "AQoDYXdzEJrEXAMPLETOKEN"}') for p in SESSION_TOKEN
    )
    assert not any(
        p.search('"X-Amz-Security-Token": "The session token, if any."') for p in SESSION_TOKEN
    )
