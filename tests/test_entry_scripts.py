"""Entry scripts that never mention a mask (``__main__.py``, a ``train.py`` with an ``if __name__ ==
"__main__":`` block) but build the batch and call the model defined in another module of the
project: they are analysed, so a mask built in one module and consumed in a third is followed
through them.  (Library and test modules that only import model code are not: their imports are
definitions, and analysing every one would cost a fifth more time on timm.)  Real files, the real
CLI."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DATA = '''
import torch


def lengths_to_keep(lengths, width):
    return torch.arange(width)[None, :] < lengths[:, None]


def make_batch(n=3, width=6):
    lengths = torch.tensor([6, 4, 2])[:n]
    return {"x": torch.randn(n, width, 16), "keep": lengths_to_keep(lengths, width)}
'''

MODEL = '''
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 2, 32, batch_first=True)

    def forward(self, x, keep):
        return self.layer(x, src_key_padding_mask={slot})
'''


def _write(root: Path, files: dict) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text))


def _lint(root: Path) -> list:
    out = subprocess.run([sys.executable, "-m", "masklint", "--no-cache", "--output-format", "json", "--exit-zero",
                          str(root)], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    return [(Path(f["path"]).name, f["code"]) for f in json.loads(out.stdout)]


LAYOUTS = {
    "package_main": {
        "pkg/__init__.py": "",
        "pkg/data.py": DATA,
        "pkg/model.py": MODEL,
        "pkg/__main__.py": '''
            from .data import make_batch
            from .model import Net

            batch = make_batch()
            out = Net()(batch["x"], batch["keep"])
        ''',
    },
    "flat_train_script": {
        "data.py": DATA,
        "model.py": MODEL,
        "train.py": '''
            import data
            from model import Net


            def main():
                net = Net()
                batch = data.make_batch()
                return net(batch["x"], batch["keep"])


            if __name__ == "__main__":
                main()
        ''',
    },
    "module_import": {
        "proj/__init__.py": "",
        "proj/data.py": DATA,
        "proj/model.py": MODEL,
        "run.py": '''
            from proj import data, model

            if __name__ == "__main__":
                batch = data.make_batch()
                print(model.Net()(batch["x"], batch["keep"]).shape)
        ''',
    },
    "reexported_in_parentheses": {
        "lib/__init__.py": "from .data import make_batch\nfrom .model import (\n    Net,\n)\n",
        "lib/data.py": DATA,
        "lib/model.py": MODEL,
        "serve.py": '''
            from lib import Net, make_batch

            if __name__ == "__main__":
                batch = make_batch()
                Net()(batch["x"], batch["keep"])
        ''',
    },
    "star_reexport": {
        "lib/__init__.py": "from .data import *\nfrom .nets import *\n",
        "lib/data.py": DATA,
        "lib/nets/__init__.py": "from .model import *\n",
        "lib/nets/model.py": MODEL,
        "lib/__main__.py": '''
            from . import make_batch, Net

            batch = make_batch()
            Net()(batch["x"], batch["keep"])
        ''',
    },
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_entry_script_links_data_and_model_modules(tmp_path, layout):
    files = {k: v.replace("{slot}", "keep") for k, v in LAYOUTS[layout].items()}
    _write(tmp_path, files)
    found = _lint(tmp_path)
    assert [code for _, code in found] == ["ML101"], found  # a keep mask into a key padding slot
    assert found[0][0] not in ("data.py", "model.py")  # reported where the entry script passes it in


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_entry_script_with_the_mask_inverted_is_silent(tmp_path, layout):
    files = {k: v.replace("{slot}", "~keep") for k, v in LAYOUTS[layout].items()}
    _write(tmp_path, files)
    assert _lint(tmp_path) == []


LAYERS = '''
import torch
import torch.nn as nn

NEG = {neg}


class Attend(nn.Module):
    def forward(self, q, k, v, pad):
        scores = q @ k.transpose(-1, -2)
        scores = scores.masked_fill(pad[:, None, None, :], {fill})
        return scores.softmax(-1) @ v
'''

HALF_SCRIPTS = {
    "autocast_train": '''
        import torch
        from layers import Attend


        def train_step():
            q = k = v = torch.randn(2, 4, 6, 8)
            pad = torch.arange(6)[None, :] >= torch.tensor([6, 3])[:, None]
            with torch.autocast("cpu", dtype=torch.float16):
                return Attend()(q, k, v, pad)


        if __name__ == "__main__":
            train_step()
    ''',
    "half_main": '''
        import torch
        from layers import Attend

        if __name__ == "__main__":
            q = k = v = torch.randn(2, 4, 6, 8).half()
            pad = torch.arange(6)[None, :] >= torch.tensor([6, 3])[:, None]
            out = Attend().half()(q, k, v, pad)
    ''',
}


@pytest.mark.parametrize("script", sorted(HALF_SCRIPTS))
@pytest.mark.parametrize("fill,expected", [("NEG", ["ML205"]), ("-1e9", ["ML205"]),
                                           ("torch.finfo(scores.dtype).min", [])])
def test_half_precision_in_another_file_counts(tmp_path, script, fill, expected):
    """A finite fill below the float16 range in layers.py, run in float16 by a script in another
    file (autocast, .half()): ML205, reported where the script calls in; an adaptive fill is fine."""
    _write(tmp_path, {"layers.py": LAYERS.replace("{neg}", "-1e9").replace("{fill}", fill),
                      "run.py": HALF_SCRIPTS[script]})
    found = _lint(tmp_path)
    assert [code for _, code in found] == expected, found
    assert all(name == "run.py" for name, _ in found)


@pytest.mark.parametrize("spelling,half_line", [
    ("model = Attend().half()\n    model(q.half(), k.half(), v.half(), pad)\n    model(q.half(), k.half(), v.half(), pad)", 9),
    ("with torch.autocast('cpu', dtype=torch.float16):\n        Attend()(q, k, v, pad)\n        Attend()(q, k, v, pad)", 9),
])
def test_one_finding_per_constant_with_where_it_runs_half(tmp_path, spelling, half_line):
    """One bug, one finding: a script that runs the float16 model twice gets one ML205, and its
    evidence names where the fill is written and where the script turns float16 on."""
    _write(tmp_path, {"layers.py": LAYERS.replace("{neg}", "-1e9").replace("{fill}", "NEG"),
                      "serve.py": "import torch\nfrom layers import Attend\n\n\ndef main():\n"
                                  "    q = k = v = torch.randn(2, 4, 6, 8)\n"
                                  "    pad = torch.arange(6)[None, :] >= torch.tensor([6, 3])[:, None]\n\n"
                                  f"    {spelling}\n\n\nif __name__ == '__main__':\n    main()\n"})
    out = subprocess.run([sys.executable, "-m", "masklint", "--no-cache", "--output-format", "json", "--exit-zero",
                          str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    found = json.loads(out.stdout)
    assert [(Path(f["path"]).name, f["code"]) for f in found] == [("serve.py", "ML205")], found
    steps = {(Path(e["path"]).name if e["path"] else "serve.py", e["line"], e["text"]) for e in found[0]["evidence"]}
    assert ("serve.py", half_line, "the code runs in half precision here") in steps, steps
    assert any(name == "layers.py" and text == "written into the mask here" for name, _, text in steps), steps


def test_bfloat16_through_a_variable_in_another_file_is_not_half(tmp_path):
    """nanoGPT's habit: `ptdtype = torch.bfloat16` then `autocast(dtype=ptdtype)` in the training
    script. bfloat16 holds -1e9, so the fill in layers.py is fine (a review's false positive)."""
    _write(tmp_path, {"layers.py": LAYERS.replace("{neg}", "-1e9").replace("{fill}", "-1e9"),
                      "train.py": '''
        import torch
        from layers import Attend

        ptdtype = torch.bfloat16


        def step():
            q = k = v = torch.randn(2, 4, 6, 8)
            pad = torch.arange(6)[None, :] >= torch.tensor([6, 3])[:, None]
            with torch.amp.autocast(device_type="cuda", dtype=ptdtype):
                return Attend()(q, k, v, pad)
    '''})
    assert _lint(tmp_path) == []


BARREL = {
    "zoo/__init__.py": "from .factory import create_model\nfrom .layers import Attention, masked_attention\n",
    "zoo/factory.py": "REGISTRY = {}\n\n\ndef create_model(name, **kw):\n    return REGISTRY[name](**kw)\n",
    "zoo/layers.py": "import torch\n\n\ndef masked_attention(q, k, v, mask):\n"
                     "    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)\n",
    "zoo/optim.py": "def step(p, g):\n    mask = (g * p > 0).float()\n    return p - g * mask\n",
}


@pytest.mark.parametrize("script,analysed", [
    ("from zoo import create_model\n", False),  # a factory re-exported beside the layers: no attention code
    ("from zoo.optim import step\n", False),  # masks, but an optimizer's, not attention's
    ("from zoo import masked_attention\n", True),  # re-exported from the module that defines it
    ("from zoo.layers import masked_attention\n", True),
    ("import zoo.layers\n", True),
    ("from zoo import (\n    create_model,\n    masked_attention,\n)\n", True),
])
def test_which_entry_scripts_import_attention_code(tmp_path, script, analysed):
    """Only scripts importing attention code are analysed for it; a name counts where it is
    defined, through the package files that re-export it (timm's training scripts import
    `create_model` from a package that also re-exports its attention layers)."""
    from masklint.engine import Project, _imports_attention_code

    _write(tmp_path, dict(BARREL, **{"train.py": script + "\nif __name__ == '__main__':\n    pass\n"}))
    source = (tmp_path / "train.py").read_text()
    assert _imports_attention_code(source, str(tmp_path / "train.py"), Project([tmp_path])) is analysed
