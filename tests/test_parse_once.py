"""How much parsing a run does: each module is parsed once per process, a module imported by
many files stays parsed, and a module-level registry of imported classes parses none of them.
(Counts of work, not timings: timings are benchmarks/lint_speed.py's.)"""
import textwrap

import pytest

from masklint import engine

BUGGY_LAYER = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, d, heads, n):
            super().__init__()
            self.attn = nn.MultiheadAttention(d, heads)
            self.register_buffer("keep", torch.tril(torch.ones(n, n)).bool())

        def forward(self, x):
            return self.attn(x, x, x, attn_mask=self.keep)[0]
""")


@pytest.fixture
def parses(monkeypatch):
    seen = []
    real = engine.parse_with_outline  # every LibCST parse of a linted file or a dependency

    def counting(source):
        seen.append(source)
        return real(source)

    monkeypatch.setattr(engine, "parse_with_outline", counting)
    return seen


def _lint(project, *paths):
    out = {}
    for p in paths:
        out[p.name] = [d.code for d in engine.check_source(p.read_text(), str(p), project).diagnostics]
    return out


def test_a_module_linted_after_a_file_imported_it_is_not_parsed_again(tmp_path, parses):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(BUGGY_LAYER)
    (pkg / "model.py").write_text("from pkg.layers import Block\n\n\ndef build_attn():\n    return Block(8, 2, 4)\n")
    project = engine.Project([tmp_path])
    found = _lint(project, pkg / "model.py", pkg / "layers.py", pkg / "model.py")
    assert found == {"model.py": [], "layers.py": ["ML101"]}
    # each once: layers.py as model.py's dependency, then reused when it is linted itself;
    # model.py linted twice with the same source
    assert len(parses) == 2
    assert sum(1 for s in parses if "class Block" in s) == 1


def test_the_finding_in_a_reused_module_is_the_same_as_in_a_fresh_one(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(BUGGY_LAYER)
    (pkg / "model.py").write_text("from pkg.layers import Block\n\n\ndef build_attn():\n    return Block(8, 2, 4)(None)\n")
    fresh = engine.check_source(BUGGY_LAYER, str(pkg / "layers.py"), engine.Project([tmp_path])).diagnostics
    project = engine.Project([tmp_path])
    engine.check_source((pkg / "model.py").read_text(), str(pkg / "model.py"), project)
    reused = engine.check_source(BUGGY_LAYER, str(pkg / "layers.py"), project).diagnostics
    assert [d.to_dict() for d in reused] == [d.to_dict() for d in fresh]
    assert [d.code for d in fresh] == ["ML101"]


def test_names_of_other_libraries_do_not_evict_the_projects_modules(tmp_path, parses):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(BUGGY_LAYER)
    externals = "\n".join(f"import extlib{i}" for i in range(400))
    for name in ("a", "b"):
        (pkg / f"{name}.py").write_text(f"{externals}\nfrom pkg.layers import Block\n\n\n"
                                        f"def build_attn():\n    return Block(8, 2, 4)\n")
    project = engine.Project([tmp_path])
    _lint(project, pkg / "a.py", pkg / "b.py")
    assert sum(1 for s in parses if "class Block" in s) == 1


def test_a_module_level_registry_of_imported_classes_parses_none_of_their_modules(tmp_path, parses):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for i in range(20):
        (pkg / f"pipe{i}.py").write_text(f"class Pipeline{i}:\n    def attention(self):\n        return {i}\n")
    imports = "\n".join(f"from pkg.pipe{i} import Pipeline{i}" for i in range(20))
    table = ",\n".join(f'    ("p{i}", Pipeline{i})' for i in range(20))
    (pkg / "auto.py").write_text(f"from collections import OrderedDict\n{imports}\n\n"
                                 f"attn_pipelines = OrderedDict([\n{table}\n])\n")
    _lint(engine.Project([tmp_path]), pkg / "auto.py")
    assert len(parses) == 1  # auto.py itself


def test_a_short_table_of_imported_attention_functions_is_still_followed(tmp_path):
    """A dispatch table (``ATTN[impl](...)``) is short: its functions are looked into."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "kernels.py").write_text(textwrap.dedent("""
        import torch.nn.functional as F

        def sdpa_attention(q, k, v, mask):
            return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

        def eager_attention(q, k, v, mask):
            return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    """))
    (pkg / "model.py").write_text(textwrap.dedent("""
        import torch
        from pkg.kernels import eager_attention, sdpa_attention

        ATTN_FUNCTIONS = {"sdpa": sdpa_attention, "eager": eager_attention}

        def run(q, k, v, impl="sdpa"):
            n = q.shape[-2]
            future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
            return ATTN_FUNCTIONS[impl](q, k, v, future)
    """))
    found = _lint(engine.Project([tmp_path]), pkg / "model.py")
    assert found["model.py"] == ["ML102"]


def test_a_files_own_dependencies_stay_parsed_while_it_is_analysed(tmp_path, parses, monkeypatch):
    """The index is bounded between files, never during one: with room for nothing, a module the
    file uses twice is still parsed once for it."""
    from masklint.analysis import modules

    monkeypatch.setattr(modules, "KEEP_SOURCE_BYTES", 1)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(BUGGY_LAYER)
    (pkg / "helpers.py").write_text("import torch\n\n\ndef ones_attn(n):\n    return torch.ones(n, n)\n")
    (pkg / "model.py").write_text(textwrap.dedent("""
        from pkg.helpers import ones_attn
        from pkg.layers import Block

        def build_attn():
            first = Block(8, 2, 4)
            ones_attn(4)
            second = Block(8, 2, 4)
            return first, second, ones_attn(4)
    """))
    _lint(engine.Project([tmp_path]), pkg / "model.py")
    assert sum(1 for s in parses if "class Block" in s) == 1
    assert sum(1 for s in parses if "def ones_attn" in s) == 1


def test_parse_without_node_validation_builds_the_same_tree_and_restores_validation():
    """engine parses without LibCST's per-node validation: the trees are the same as a checked
    parse's, and node validation is back on after each parse (an invalid node still raises)."""
    import glob
    import os

    import libcst as cst

    here = os.path.dirname(__file__)
    files = sorted(glob.glob(os.path.join(here, "cases", "*.py")))[:60] + [engine.__file__]
    for path in files:
        source = open(path, encoding="utf-8").read()
        tree = engine.parse_module(source)
        assert tree.code == source
        assert tree.deep_equals(cst.parse_module(source)), path
        with pytest.raises(cst.CSTValidationError):
            cst.Name("")


def test_parses_on_several_threads_leave_node_validation_on():
    """Parses from several threads at once (a library user, an editor server): each switches
    validation off only inside the lock, so it is back on when they are done."""
    import threading

    import libcst as cst

    source = open(engine.__file__, encoding="utf-8").read()
    errors = []

    def work():
        try:
            for _ in range(3):
                engine.parse_module(source)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier!")


def test_a_dependency_edited_between_runs_is_parsed_once_in_the_re_run(tmp_path, monkeypatch, parses):
    """The cache asks the edited layers.py what model.py used of it (it parses it), and the run
    then lints layers.py itself in this process: from the same parse."""
    from masklint.config import discover_settings
    from masklint.runner import lint_paths

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(BUGGY_LAYER)
    (pkg / "model.py").write_text("from pkg.layers import Block\n\n\ndef build_attn():\n    return Block(8, 2, 4)\n")
    monkeypatch.chdir(tmp_path)
    first = lint_paths(["."], discover_settings(["."]).finalize(), jobs=1)
    (pkg / "layers.py").write_text(BUGGY_LAYER + "\n\ndef unused_helper(x):\n    return x\n")
    parses.clear()
    again = lint_paths(["."], discover_settings(["."]).finalize(), jobs=1)
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics] == ["ML101"]
    assert sum(1 for s in parses if "class Block" in s) == 1
    assert not any("build_attn" in s for s in parses)  # model.py's result came from the cache
