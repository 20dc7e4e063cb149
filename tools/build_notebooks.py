"""Write the notebooks from their sources in ``tools/notebooks/``, then execute them in place.

Each source module ``tools/notebooks/nbNN_*.py`` defines ``NAME`` (the notebook file name
without ``.ipynb``) and ``CELLS``, a list of ``(kind, text, tags)`` cells. Cell ids are derived
from the notebook name and the cell position, so rebuilding gives the same file.

Usage (from the repository root)::

    .venv/bin/python tools/build_notebooks.py            # write and execute every notebook
    .venv/bin/python tools/build_notebooks.py 01 05      # only notebooks whose name starts so
    .venv/bin/python tools/build_notebooks.py --no-run   # write only, keep them unexecuted
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
JUPYTER = ROOT / ".venv" / "bin" / "jupyter"
sys.path.insert(0, str(ROOT / "tools"))

from notebooks._cells import Cell  # noqa: E402  (tools/ is not a package on the path)


def notebook_cells() -> dict[str, list[Cell]]:
    """Every notebook source, by notebook name, in name order."""
    found = {}
    for path in sorted((ROOT / "tools" / "notebooks").glob("nb*.py")):
        module = importlib.import_module(f"notebooks.{path.stem}")
        found[module.NAME] = module.CELLS
    return dict(sorted(found.items()))


def build(name: str, cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, (kind, text, tags) in enumerate(cells):
        maker = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = maker(text)
        cell.id = f"{name[:2]}-{index:02d}"
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def coalesce_streams(path: Path) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell, as nbval does before comparing.

    The kernel may split one ``print`` into several stream messages; merging them makes a
    rebuild byte-identical.
    """
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        merged: list[nbformat.NotebookNode] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.output_type == "stream" and previous is not None
                    and previous.output_type == "stream" and previous.name == output.name):
                previous.text += output.text
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    run = "--no-run" not in argv
    prefixes = [a for a in argv if not a.startswith("--")]
    for name, cells in notebook_cells().items():
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        path = NOTEBOOKS / f"{name}.ipynb"
        nbformat.write(build(name, cells), path)
        print("wrote", path.relative_to(ROOT))
        if run:
            subprocess.run(
                [str(JUPYTER), "nbconvert", "--to", "notebook", "--execute", "--inplace",
                 "--ExecutePreprocessor.kernel_name=python3",
                 "--ExecutePreprocessor.record_timing=False", str(path)],
                check=True, cwd=NOTEBOOKS,
            )
            coalesce_streams(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
