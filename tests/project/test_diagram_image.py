"""00-overview's mermaid diagram has a static SVG twin, for viewers that do not run mermaid.

JupyterLab draws the ``mermaid`` block; an exported HTML page or another viewer shows nothing
there. The picture under the block must exist, be well-formed SVG with a text alternative, and
be the one the overview's diagram cell shows.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = ROOT / "notebooks" / "00-overview.ipynb"
SVG = ROOT / "notebooks" / "img" / "one-upload.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
#: An HTML ``src="..."`` or a Markdown image ``![...](...)``.
IMAGE = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']|!\[[^\]]*\]\(([^)\s]+)""")


def _diagram_cell() -> str:
    cells = nbformat.read(OVERVIEW, as_version=4).cells
    found = [c.source for c in cells if c.cell_type == "markdown" and "```mermaid" in c.source]
    assert len(found) == 1, "00-overview should have exactly one mermaid diagram"
    return str(found[0])


def test_the_svg_exists_and_is_well_formed_svg() -> None:
    root = ET.parse(SVG).getroot()  # raises ParseError when it is not XML
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox"), "a viewBox lets the picture scale"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and (title.text or "").strip()
    labels = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    for participant in ("Browser", "API Gateway", "Lambda", "Amazon S3"):
        assert participant in labels


def test_the_diagram_cell_shows_the_svg_after_the_mermaid_block() -> None:
    source = _diagram_cell()
    targets = {html or markdown for html, markdown in IMAGE.findall(source)}
    assert "img/one-upload.svg" in targets
    assert source.index("one-upload.svg") > source.rindex("```"), "the picture follows the block"
    assert (OVERVIEW.parent / "img/one-upload.svg").resolve() == SVG.resolve()


def test_the_svg_shows_every_step_of_the_mermaid_diagram() -> None:
    source = _diagram_cell()
    block = source[source.index("```mermaid") : source.rindex("```")]
    steps = [line for line in block.splitlines() if "->>" in line]
    root = ET.parse(SVG).getroot()
    numbers = {t.text for t in root.iter(f"{SVG_NS}text") if (t.text or "").isdigit()}
    assert numbers == {str(n) for n in range(1, len(steps) + 1)}
