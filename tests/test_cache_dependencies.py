"""What a cached result depends on: the definitions of other modules the analysis used (with what
their code reads of their module), and only the names looked up in a package's ``__init__`` that
re-exports them.  Real runs of the
runner on real files; the analysis is counted, not timed."""
import os
import textwrap

import pytest

from masklint import engine
from masklint.config import discover_settings
from masklint.runner import lint_paths

LAYERS = textwrap.dedent("""
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.attn = nn.MultiheadAttention(d, heads)

        def forward(self, x, mask):
            return self.attn(x, x, x, attn_mask=mask)[0]
""")

# the same interface over SDPA, which reads True as "attend"
OTHER = textwrap.dedent("""
    import torch.nn as nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.heads = heads

        def forward(self, x, mask):
            return F.scaled_dot_product_attention(x, x, x, attn_mask=mask)
""")

MODEL = textwrap.dedent("""
    import torch
    from pkg import Block

    def run_attn():
        block = Block(8, 2)
        keep = torch.tril(torch.ones(4, 4)).bool()
        return block(torch.randn(4, 1, 8), keep)
""")


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .layers import Block\n\n__all__ = ['Block']\n")
    (pkg / "layers.py").write_text(LAYERS)
    (pkg / "other.py").write_text(OTHER)
    (root / "model.py").write_text(MODEL)
    monkeypatch.chdir(root)
    analysed = []
    real = engine.check_source

    def counting(source, path, *args, **kwargs):
        analysed.append(os.path.basename(path))
        return real(source, path, *args, **kwargs)

    monkeypatch.setattr(engine, "check_source", counting)

    def run():
        analysed.clear()
        settings = discover_settings(["."]).finalize()
        result = lint_paths(["."], settings, jobs=1)
        return sorted(analysed), sorted((os.path.basename(d.path), d.code) for d in result.diagnostics)

    return root, run


def test_names_only_dependency_edited_elsewhere_keeps_the_importers_results(project):
    root, run = project
    analysed, found = run()
    assert "model.py" in analysed and found == [("model.py", "ML101")]
    init = root / "pkg" / "__init__.py"
    init.write_text(init.read_text() + "\n# re-exports for users\nVERSION = '1.0'\n")
    analysed, again = run()
    assert analysed == ["__init__.py"]  # the edited file itself; model.py used only its names
    assert again == found


def test_names_only_dependency_that_now_gives_another_definition_re_lints(project):
    root, run = project
    run()
    (root / "pkg" / "__init__.py").write_text("from .other import Block\n")
    analysed, found = run()
    assert "model.py" in analysed
    assert found == []  # the keep mask suits the other Block (SDPA)


def test_dependency_edited_where_the_importer_does_not_run_keeps_its_result(project):
    """model.py runs Block of layers.py: a function added below it, or a comment at the end,
    changes nothing model.py's analysis read."""
    root, run = project
    _, found = run()
    layers = root / "pkg" / "layers.py"
    layers.write_text(layers.read_text() + "\n\ndef unused_helper(x):\n    return x * 2\n# a comment\n")
    analysed, again = run()
    assert analysed == ["layers.py"]
    assert again == found


def test_dependency_edited_in_the_definition_the_importer_runs_re_lints(project):
    root, run = project
    run()
    layers = root / "pkg" / "layers.py"
    # the same Block over SDPA (True = attend): the keep mask model.py passes is now right
    layers.write_text(OTHER)
    analysed, found = run()
    assert "model.py" in analysed and found == []


@pytest.mark.parametrize("edit", [
    # a helper of the same module that Block's forward calls, named only in Block's text
    ("def forward(self, x, mask):\n        return self.attn(x, x, x, attn_mask=mask)[0]",
     "def forward(self, x, mask):\n        return self.attn(x, x, x, attn_mask=flip(mask))[0]",
     "\ndef flip(m):\n    return m\n", "\ndef flip(m):\n    return ~m\n"),
    # a module-level constant that the forward reads
    ("def forward(self, x, mask):\n        return self.attn(x, x, x, attn_mask=mask)[0]",
     "def forward(self, x, mask):\n        return self.attn(x, x, x, attn_mask=mask if FLIP else ~mask)[0]",
     "\nFLIP = True\n", "\nFLIP = False\n"),
])
def test_dependency_edited_in_what_the_run_definition_reads_re_lints(project, edit):
    """What Block's code reads of its module (a helper it names, a global) is part of what the
    importer depends on: editing it re-lints the importer, and the finding follows the edit."""
    root, run = project
    old_forward, new_forward, helper, edited_helper = edit
    layers = root / "pkg" / "layers.py"
    layers.write_text(LAYERS.replace(old_forward, new_forward) + helper)
    _, found = run()
    assert found == [("model.py", "ML101")]
    layers.write_text(LAYERS.replace(old_forward, new_forward) + edited_helper)
    analysed, found = run()
    assert "model.py" in analysed
    assert found == []  # the keep mask is now inverted on the way in: right for MHA


def test_dependency_lines_moved_above_the_definition_re_lints(project):
    """A result's evidence cites lines of the dependency: a line inserted above Block moves them."""
    root, run = project
    run()
    layers = root / "pkg" / "layers.py"
    layers.write_text("# moved down one line\n" + LAYERS)
    analysed, _ = run()
    assert "model.py" in analysed


def test_unchanged_tree_is_all_cached(project):
    _, run = project
    run()
    analysed, _ = run()
    assert analysed == []


def test_names_only_dependency_that_no_longer_parses_re_lints(project):
    root, run = project
    run()
    (root / "pkg" / "__init__.py").write_text("from .layers import (Block\n")
    analysed, found = run()
    assert "model.py" in analysed
    assert found == [("__init__.py", "ML900")]


def test_names_only_dependency_grown_past_what_the_index_reads_re_lints(project):
    """The cache asks a changed dependency what the index itself would read: over 2 MB it reads
    nothing, so the names no longer resolve and the importers are linted again."""
    root, run = project
    run()
    init = root / "pkg" / "__init__.py"
    init.write_text(init.read_text() + "#" + "x" * 2_100_000 + "\n")
    analysed, found = run()
    assert "model.py" in analysed
    assert found == []  # Block no longer resolves: as a cold run says


def _write(root, files):
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))


def _run_dir(root):
    settings = discover_settings([str(root)]).finalize()
    result = lint_paths([str(root)], settings, jobs=1)
    return sorted((os.path.basename(d.path), d.code) for d in result.diagnostics)


MHA_BLOCK = """
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.attn = nn.MultiheadAttention(d, heads)

        def forward(self, x, mask):
            return self.attn(x, x, x, attn_mask=mask)[0]
"""
SDPA_BLOCK = """
    import torch.nn as nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.heads = heads

        def forward(self, x, mask):
            return F.scaled_dot_product_attention(x, x, x, attn_mask=mask)
"""
USER = """
    import torch
    from model import Model

    def run_attn():
        model = Model()
        keep = torch.tril(torch.ones(4, 4)).bool()
        return model(torch.randn(4, 1, 8), keep)
"""


def test_state_built_while_another_file_ran_keeps_its_dependencies(tmp_path, monkeypatch):
    """b.py reads the instance model.py's class built while a.py was linted (one worker, one
    index): it depends on layers.py all the same, so editing layers.py re-lints it."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, {"layers.py": MHA_BLOCK, "a.py": USER, "b.py": USER, "model.py": """
        from layers import Block
        import torch.nn as nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block(8, 2)

            def forward(self, x, mask):
                return self.block(x, mask)
    """})
    assert _run_dir(tmp_path) == [("a.py", "ML101"), ("b.py", "ML101")]
    _write(tmp_path, {"layers.py": SDPA_BLOCK})
    assert _run_dir(tmp_path) == []


def test_module_globals_computed_while_another_file_ran_keep_their_dependencies(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    user = """
        import torch.nn as nn
        from mid import get_keep

        attn = nn.MultiheadAttention(8, 2)

        def run_attn(x):
            return attn(x, x, x, attn_mask=get_keep())
    """
    _write(tmp_path, {"a.py": user, "b.py": user, "mid.py": """
        from helpers import make_mask

        KEEP = make_mask(4)

        def get_keep():
            return KEEP
    """, "helpers.py": """
        import torch

        def make_mask(n):
            return torch.tril(torch.ones(n, n)).bool()
    """})
    assert _run_dir(tmp_path) == [("a.py", "ML101"), ("b.py", "ML101")]
    _write(tmp_path, {"helpers.py": """
        import torch

        def make_mask(n):
            return ~torch.tril(torch.ones(n, n)).bool()
    """})
    assert _run_dir(tmp_path) == []


DISPATCH_LAYERS = """
    import torch.nn as nn


    def eager_attention(attn, x, mask):
        return attn(x, x, x, attn_mask=~mask)[0]


    ATTENTION_FUNCTIONS = {"eager": eager_attention}


    class Block(nn.Module):
        def __init__(self, d, heads, impl="eager"):
            super().__init__()
            self.attn = nn.MultiheadAttention(d, heads)
            self.impl = impl

        def forward(self, x, mask):
            return ATTENTION_FUNCTIONS[self.impl](self.attn, x, mask)
"""


@pytest.mark.parametrize("layers", [
    DISPATCH_LAYERS,
    # an alias at top level: Block's forward calls `attend`, the name of another definition
    DISPATCH_LAYERS.replace('ATTENTION_FUNCTIONS = {"eager": eager_attention}', "attend = eager_attention")
    .replace("ATTENTION_FUNCTIONS[self.impl](self.attn, x, mask)", "attend(self.attn, x, mask)"),
])
def test_function_reached_through_a_table_or_an_alias_is_a_dependency(tmp_path, monkeypatch, layers):
    """Block's forward reaches eager_attention only through a global the top-level code binds
    (Hugging Face's ALL_ATTENTION_FUNCTIONS): an edit there changes what model.py gets."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, {"layers.py": layers, "model.py": """
        import torch
        from layers import Block

        def run_attn():
            keep = torch.tril(torch.ones(4, 4)).bool()
            return Block(8, 2)(torch.randn(4, 1, 8), keep)
    """})
    assert _run_dir(tmp_path) == []
    _write(tmp_path, {"layers.py": layers.replace("attn_mask=~mask", "attn_mask=mask")})
    assert _run_dir(tmp_path) == [("model.py", "ML101")]
