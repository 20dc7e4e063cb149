"""presignlab.__all__ lists exactly the public names the package exports."""

from __future__ import annotations

import presignlab


def test_all_names_exist_and_are_public() -> None:
    for name in presignlab.__all__:
        assert hasattr(presignlab, name), name
    public = {n for n in vars(presignlab) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(presignlab, n)).__name__ == "module"}
    assert public - modules - {"annotations"} == set(presignlab.__all__)
    assert presignlab.__all__ == sorted(presignlab.__all__)
