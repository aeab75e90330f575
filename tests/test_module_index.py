"""The project index names every file as module_name_for does, from one listing per folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from masklint.analysis.modules import ProjectIndex, _walk_modules, module_name_for


def _tree(root: Path) -> Path:
    files = [
        "top/__init__.py", "top/a.py", "top/sub/__init__.py", "top/sub/b.py",
        "top/plain/c.py",  # a folder without __init__.py inside a package: not a package
        "scripts/run.py", "scripts/deep/d.py", "lone.py",
        "top/.hidden/e.py", "top/__pycache__/f.py", "top/build/g.py",  # skipped folders
    ]
    for f in files:
        p = root / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x = 1\n")
    (root / "top" / "notes.txt").write_text("not python\n")
    return root


def _expected(base: Path) -> dict:
    out = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if d not in {"__pycache__", "build"} and not d.startswith(".")]
        for f in filenames:
            if f.endswith(".py"):
                p = Path(dirpath) / f
                rel = ".".join(p.relative_to(base).with_suffix("").parts).removesuffix(".__init__")
                out[p] = (module_name_for(p, [base]), rel)
    return out


@pytest.mark.parametrize("start", [".", "top", "top/sub", "scripts"])
def test_names_match_module_name_for(tmp_path, start):
    base = (_tree(tmp_path) / start).resolve()
    got = {p: (name, rel) for p, name, rel in _walk_modules(base)}
    assert got == _expected(base)
    assert base / "top" / ".hidden" / "e.py" not in got


def test_a_linked_file_is_named_from_its_target(tmp_path):
    base = _tree(tmp_path).resolve()
    link = base / "scripts" / "alias.py"
    try:
        link.symlink_to(base / "top" / "sub" / "b.py")
    except OSError:
        pytest.skip("no symlinks here")
    got = {p: name for p, name, _ in _walk_modules(base)}
    assert got[link] == "top.sub.b" == module_name_for(link, [base])


def test_index_resolves_dotted_and_relative_names(tmp_path):
    base = _tree(tmp_path).resolve()
    (base / "top" / "sub" / "b.py").write_text("def helper(m):\n    return m\n")
    index = ProjectIndex([base])
    assert index.module("top.sub.b") is not None
    assert index.module("scripts.deep.d") is not None  # a namespace folder: named by its path
    assert index.module("sub.b") is not None  # the suffix of a dotted name
