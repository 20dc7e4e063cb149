"""Every notebook and its jupytext ``.py`` twin say the same thing.

``notebooks/jupytext.toml`` pairs each ``NN-name.ipynb`` with a percent-format ``NN-name.py``: the
twin is the source people edit and ruff reads, the notebook keeps the outputs nbval checks.
``make notebooks NB=NN`` updates the notebook from its twin and re-executes it. These tests fail
when only one side was edited: jupytext reads both, and the cells (types, sources, tags) and the
kernelspec must agree; the twin must also be exactly what jupytext writes from the notebook, so
saving the notebook in JupyterLab does not rewrite it. The last tests prove the checks catch a
one-sided edit, on temporary copies.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import load_jupytext_config
from test_notebooks import SECRET_LIKE, SESSION_TOKEN

from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
TWIN_FORMAT = "py:percent"
FIX = "edit the .py twin, then run `make notebooks NB={prefix}`"


def twin(notebook: Path) -> Path:
    return notebook.with_suffix(".py")


def unpaired(folder: Path) -> list[str]:
    """Notebooks in ``folder`` without a twin, and twins without a notebook."""
    notebooks = {p.stem for p in folder.glob("*.ipynb")}
    sources = {p.stem for p in folder.glob("*.py")}
    return [f"{name}.ipynb has no {name}.py" for name in sorted(notebooks - sources)] + [
        f"{name}.py has no {name}.ipynb" for name in sorted(sources - notebooks)
    ]


def _cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def differences(notebook: Path) -> list[str]:
    """How jupytext's reading of ``notebook`` differs from its reading of the twin (none: in sync)."""
    from_ipynb = jupytext.read(notebook)
    from_py = jupytext.read(twin(notebook), fmt=TWIN_FORMAT)
    found = []
    if from_ipynb.metadata.get("kernelspec") != from_py.metadata.get("kernelspec"):
        found.append(
            f"kernelspec: .ipynb {from_ipynb.metadata.get('kernelspec')} "
            f"!= .py {from_py.metadata.get('kernelspec')}"
        )
    ipynb_cells, py_cells = _cells(from_ipynb), _cells(from_py)
    if len(ipynb_cells) != len(py_cells):
        found.append(f"{len(ipynb_cells)} cells in the .ipynb, {len(py_cells)} in the .py")
    for index, (a, b) in enumerate(zip(ipynb_cells, py_cells, strict=False)):
        for what, in_ipynb, in_py in zip(("type", "source", "tags"), a, b, strict=True):
            if in_ipynb != in_py:
                found.append(f"cell {index} {what}: .ipynb {in_ipynb!r} != .py {in_py!r}")
    return found


def rewritten_twin(notebook: Path) -> str:
    """The twin jupytext writes from ``notebook`` under ``jupytext.toml`` (as JupyterLab saves it)."""
    config = load_jupytext_config(str(twin(notebook)))
    return jupytext.writes(jupytext.read(notebook), fmt=TWIN_FORMAT, config=config)


def test_jupytext_toml_pairs_each_notebook_with_a_percent_script() -> None:
    config = tomllib.loads((NOTEBOOKS / "jupytext.toml").read_text())
    assert set(config["formats"].split(",")) == {"ipynb", TWIN_FORMAT}


def test_every_notebook_has_its_twin_and_every_twin_its_notebook() -> None:
    assert PATHS
    assert unpaired(NOTEBOOKS) == []


@pytest.fixture(params=PATHS, ids=[p.stem for p in PATHS])
def notebook(request: pytest.FixtureRequest) -> Path:
    return request.param


def test_notebook_and_twin_have_the_same_cells(notebook: Path) -> None:
    found = differences(notebook)
    fix = FIX.format(prefix=notebook.name[:2])
    assert not found, f"{notebook.name} and its twin differ ({fix}):\n" + "\n".join(found)


def test_twin_is_what_jupytext_writes_from_the_notebook(notebook: Path) -> None:
    # Same cells but other blank lines between them (e.g. after `ruff format`) need the notebook
    # updated too: jupytext keeps them in the cells' metadata, or the next save undoes them.
    fix = FIX.format(prefix=notebook.name[:2])
    assert rewritten_twin(notebook) == twin(notebook).read_text(), fix


def test_twin_spells_no_secret(notebook: Path) -> None:
    text = twin(notebook).read_text()
    assert EXAMPLE_SECRET_ACCESS_KEY not in text, "import it from presignlab.examples"
    assert not SECRET_LIKE.search(text), SECRET_LIKE.search(text).group()
    for pattern in SESSION_TOKEN:
        assert not pattern.search(text), pattern.search(text).group()


# The checks above catch a one-sided edit. Each test edits a copy of one side and expects a difference.


def _copy_pair(tmp_path: Path, name: str) -> Path:
    shutil.copy(NOTEBOOKS / "jupytext.toml", tmp_path)
    shutil.copy(NOTEBOOKS / f"{name}.py", tmp_path)
    return Path(shutil.copy(NOTEBOOKS / f"{name}.ipynb", tmp_path))


def _edit_ipynb(path: Path, edit) -> None:
    nb = nbformat.read(path, as_version=4)
    edit(nb)
    nbformat.write(nb, path)


def test_copied_pair_starts_in_sync(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")
    assert differences(copy) == []
    assert rewritten_twin(copy) == twin(copy).read_text()


def test_a_code_cell_edited_in_the_py_only_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")
    text = twin(copy).read_text()
    assert 'lab = open_lab("06-signature-does-not-match")' in text
    twin(copy).write_text(text.replace('open_lab("06-signature-does-not-match")', 'open_lab("06")'))
    found = differences(copy)
    assert len(found) == 1 and found[0].startswith("cell 5 source: "), found
    assert rewritten_twin(copy) != twin(copy).read_text()


def test_a_markdown_cell_edited_in_the_ipynb_only_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")

    def edit(nb: nbformat.NotebookNode) -> None:
        assert nb.cells[2].source == "## Imports"
        nb.cells[2].source = "## The imports"

    _edit_ipynb(copy, edit)
    assert differences(copy) == ["cell 2 source: .ipynb '## The imports' != .py '## Imports'"]


def test_a_tag_dropped_from_the_py_only_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "00-overview")
    text = twin(copy).read_text()
    assert text.count('# %% tags=["raises-exception"]\n') == 1
    twin(copy).write_text(text.replace('# %% tags=["raises-exception"]\n', "# %%\n"))
    found = differences(copy)
    assert len(found) == 1 and "tags: .ipynb ['raises-exception'] != .py []" in found[0], found


def test_a_cell_added_to_the_ipynb_only_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")
    count = len(nbformat.read(copy, as_version=4).cells)
    _edit_ipynb(copy, lambda nb: nb.cells.append(nbformat.v4.new_code_cell("extra = 1")))
    assert differences(copy) == [f"{count + 1} cells in the .ipynb, {count} in the .py"]


def test_a_cell_turned_into_markdown_in_the_ipynb_only_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")

    def edit(nb: nbformat.NotebookNode) -> None:
        nb.cells[5] = nbformat.v4.new_markdown_cell(nb.cells[5].source)

    _edit_ipynb(copy, edit)
    assert differences(copy) == ["cell 5 type: .ipynb 'markdown' != .py 'code'"]


def test_a_changed_kernelspec_is_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")
    _edit_ipynb(copy, lambda nb: nb.metadata.kernelspec.update(name="python2"))
    found = differences(copy)
    assert len(found) == 1 and found[0].startswith("kernelspec: "), found


def test_blank_lines_changed_in_the_py_only_are_caught(tmp_path: Path) -> None:
    copy = _copy_pair(tmp_path, "06-signature-does-not-match")
    text = twin(copy).read_text()
    imports = "\n\n# %% [markdown]\n# ## Imports"
    assert text.count(imports) == 1
    twin(copy).write_text(text.replace(imports, "\n" + imports))
    assert differences(copy) == []  # the same cells, but JupyterLab would rewrite the twin:
    assert rewritten_twin(copy) != twin(copy).read_text()


def test_a_missing_twin_or_notebook_is_caught(tmp_path: Path) -> None:
    shutil.copy(NOTEBOOKS / "00-overview.ipynb", tmp_path)
    shutil.copy(NOTEBOOKS / "01-anatomy-of-a-presigned-url.py", tmp_path)
    assert unpaired(tmp_path) == [
        "00-overview.ipynb has no 00-overview.py",
        "01-anatomy-of-a-presigned-url.py has no 01-anatomy-of-a-presigned-url.ipynb",
    ]
