"""The strict layer's architecture, checked: moto behind backend/, errors from the catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import presignlab

PACKAGE = Path(presignlab.__file__).parent
LOCALS3 = PACKAGE / "locals3"


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_only_the_backend_imports_moto() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules(PACKAGE)
        if any(name == "moto" or name.startswith("moto.") for name in _imports(path))
        and LOCALS3 / "backend" not in path.parents
    ]
    assert offenders == []


def test_every_s3_error_comes_from_the_catalogue() -> None:
    allowed = {LOCALS3 / "wire" / "catalogue.py", LOCALS3 / "wire" / "errors.py"}
    offenders = []
    for path in _modules(LOCALS3):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "S3Error":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_pipeline_is_laid_out_in_stages() -> None:
    stages = {p.name for p in LOCALS3.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert {"wire", "authn", "authz", "post", "body", "backend", "iam_sts"} <= stages
    for stage in stages:
        modules = list((LOCALS3 / stage).glob("*.py"))
        assert len(modules) <= 12, (stage, len(modules))
