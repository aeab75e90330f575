"""Small real models, written independently of the runtime's code, each carrying its expected
findings as ``# expect: ML101`` comments on the user's attention call (``A|B``: either code).

Every buggy model's findings must be reported *confirmed* at that call site; a correct model must
produce no finding at all; and the outputs and RNG state must be exactly those of the plain run."""
from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from pathlib import Path

import pytest
import torch

import masklint

MODELS = Path(__file__).parent / "models"
KNOWN_GAPS: dict = {}
FILES = [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[p.stem])) if p.stem in KNOWN_GAPS else p
    for p in sorted(MODELS.glob("[bc][0-9]*.py"))
]
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9|, ]+?)\s*(?:also-ok:\s*([A-Z0-9, ]+))?\s*$")


def _expectations(path: Path):
    out = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        m = EXPECT.search(line)
        if m:
            out += [(i, tuple(g.strip().split("|"))) for g in m.group(1).split(",") if g.strip()]
    return out


def _load(path: Path):
    if str(MODELS) not in sys.path:
        sys.path.insert(0, str(MODELS))  # a model may import a helper module beside it
    spec = importlib.util.spec_from_file_location(f"masklint_model_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _outputs(value):
    return list(value) if isinstance(value, (tuple, list)) else [value]


@pytest.mark.parametrize("path", FILES, ids=lambda p: getattr(p, "stem", None))
def test_model(path: Path):
    mod = _load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(1234)
        plain = _outputs(mod.run())
        rng_plain = torch.get_rng_state().clone()
        with masklint.instrument(mode="collect") as s:
            torch.manual_seed(1234)
            checked = _outputs(mod.run())
            rng_checked = torch.get_rng_state().clone()

    assert not s.errors, s.errors
    assert len(plain) == len(checked)
    for a, b in zip(plain, checked):
        if isinstance(a, torch.Tensor):
            torch.testing.assert_close(a, b, rtol=0, atol=0, equal_nan=True)
        else:
            assert a == b  # e.g. the text of an error torch raised
    assert torch.equal(rng_plain, rng_checked)

    expected = _expectations(path)
    if mod.KIND == "correct":
        assert expected == []
        assert s.findings == [], [(f.code, f.line, f.message) for f in s.findings]
        return
    here = [f for f in s.findings if Path(f.path).resolve() == path.resolve()]
    for line, alternatives in expected:
        hits = [f for f in here if f.line == line and f.code in alternatives]
        assert hits, f"{path.name}:{line}: expected {'|'.join(alternatives)}; got " + str(
            [(f.code, f.line, f.confirmed) for f in s.findings])
        assert any(f.confirmed for f in hits), [(f.code, f.evidence) for f in hits]
