"""The held-out runtime sets (tests/runtime/heldout8: 26 buggy and 19 correct small models;
heldout9 and heldout10: 26 buggy and 20 correct each; each written by someone who had not read masklint's code).  Each file's run() does a training step and an eval
pass.  A bug must be confirmed at its `# BUG-SITE` line, a correct model must show no finding, and
every instrumented run must be bit-identical to the plain one.  Measured when written: 8 of 26
confirmed with 2 findings on correct models and 1 changed run (the revision before this work);
15 of 26, none and none after; 16 once the linter's keep-mask finding in a key padding slot could be
confirmed on right-padded data; 20 once a finding the linter carries to the caller
that passes the mask in is confirmed at the attention call, and a memory padding mask that leaves
the source padding visible is ML503; 24 after the checks the set's misses asked for.

heldout9 arrived at 14 of 26 with 4 findings on correct models at the revision that began the
session it came in (37c5436), and 17 of 26 with 5 at that session's commits before it arrived;
after: see KNOWN_MISSES9 (21 of 26: a shifted-causal check found bug_07 too, and was dropped
for the streaming lookahead windows it flagged).

heldout10 (26 buggy, 20 correct) arrived at 16 of 26, with no finding on a correct model and no
changed run, at the revision of the session it came in before any of that session's analysis
changes (c2ea08c plus an index speed-up); after: see KNOWN_MISSES10.

heldout11 (26 buggy, 20 correct) arrived at 21 of 26, with no finding on a correct model and no
changed run, at the revision that began the session it came in (653b31d); after: see
KNOWN_MISSES11.

heldout12 (26 buggy, 20 correct; bug_05 raises, as torch does on an int64 key padding mask)
arrived at 20 of 26 with one finding on a correct model (a linter ML304 on a time-major padding
mask transposed the right way) and no changed run, at 603d636; after: see KNOWN_MISSES12.

heldout13 (26 buggy, 20 correct; four bugs raise, as torch does) arrived at 24 of 26 with no
finding on a correct model and no changed run, at the revision that began the session it came in
(b557d65); 25 of 26 at the revision it was first run against after that session's runtime work,
written before the set was seen; after: see KNOWN_MISSES13."""
from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest
import torch

import masklint

HERE = Path(__file__).resolve().parent
FILES = [p for d in ("heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13")
         for p in sorted(HERE.glob(f"{d}/*.py")) if p.name.startswith(("bug_", "ok_"))]

#: bugs not confirmed yet, and why (strict: a newly confirmed one must be taken off the list)
KNOWN_MISSES = {
    "bug_18_left_padded_batch_right_pad_mask.py": "a plausible right-padding mask on left-padded data: data-dependent",
    "bug_22_ast_cls_token_mask_misaligned.py": "a padding mask shifted by one position: data-dependent",
}
KNOWN_MISSES9 = {
    "bug_23_left_padded_mask_from_lengths.py": "a right-padding mask on left-padded data: data-dependent",
    "bug_24_navit_cls_mask_appended.py": "a padding mask shifted by one position: data-dependent",
    "bug_25_cached_padding_mask_stale.py": "a stale mask of the right shape from an earlier batch: data-dependent",
}
KNOWN_MISSES10 = {
    "bug_22_qformer_sdpa_3d_mask_heads.py": "a per-sample (N, L, S) mask with N == num_heads whose keys are padded "
                                            "segments joined: a per-head mask can look the same",
    "bug_14_halonet_masked_fill_keep_mask.py": "the linter's ML101 on a halo mask (F.unfold of ones): no experiment "
                                               "tells a keep mask from a block mask over windows",
    "bug_16_torchtext_time_major_kpm_transposed.py": "an (S, N) key padding mask with S == N: the shapes fit, and "
                                                     "the layout is not in the tensors",
    "bug_25_llama_decode_mask_sliced_by_query.py": "a padding mask sliced to the query's columns during cached "
                                                   "decoding: one column that broadcasts, data-dependent",
}
KNOWN_MISSES11 = {
    "bug_07_sdpa_segment_mask_heads_eq_batch.py": "ids.unsqueeze(-1) == ids.unsqueeze(-2) is (N, L, L) only when the "
                                                  "ids are batched; packed 1-D document ids make it (L, L), so the "
                                                  "linter does not claim a rank (a review's false positive)",
    "bug_22_sasrec_additive_inverted.py": "an inverted padding bias (-1e4) summed with a causal one: the linter "
                                          "reports ML103, and the runtime's inverted-padding check wants one "
                                          "mask for every query",
}
KNOWN_MISSES12 = {
    "bug_19_recsys_bf16_summed_min.py": "two finfo.min biases summed into (N, S) logits: float adds of rank 2 are not "
                                        "checked (every add of the program would be)",
    "bug_20_flex_window_off_by_one.py": "a sliding window one key too wide: the window's size is the config's, not "
                                        "in the tensors",
}
KNOWN_MISSES13: dict = {}
#: correct models that get a finding masklint stands by, and why
DISPUTED: dict = {}


def _site_lines(text: str, site: int) -> set:
    """The lines a finding about the ``# BUG-SITE`` line may be reported on: that line, or the first
    line of a call expression that spans it (a finding is reported where its call starts)."""
    calls = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call) and n.lineno <= site <= n.end_lineno]
    return {site} | {n.lineno for n in calls}


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"heldout_rt_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # flex_attention's mask_mods read the module's globals through it
    spec.loader.exec_module(module)
    return module


def _outcome(module):
    """What run() returns, or the error torch raised on the bug (heldout12's bug_05, heldout13's
    int masks, a mask sized from the batch, a mask with is_causal under dropout)."""
    try:
        return list(module.run())
    except (AssertionError, RuntimeError) as exc:
        return [f"{type(exc).__name__}: {exc}"]


def _same(a, b) -> bool:
    return len(a) == len(b) and all(
        x == y if isinstance(x, str) or isinstance(y, str) else
        x.shape == y.shape and torch.equal(torch.nan_to_num(x, nan=7.0), torch.nan_to_num(y, nan=7.0))
        for x, y in zip(a, b))


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_heldout_runtime_model(path: Path):
    text = path.read_text()
    site = next((i for i, line in enumerate(text.splitlines(), 1) if "# BUG-SITE" in line), None)
    module = _load(path)
    plain = _outcome(module)
    with masklint.instrument(mode="collect") as session:
        checked = _outcome(module)
    assert _same(plain, checked), "the instrumented run changed the results"
    shown = [f for f in session.findings if not f.refuted and Path(f.path).resolve() == path.resolve()]
    misses = {"heldout8": KNOWN_MISSES, "heldout9": KNOWN_MISSES9, "heldout11": KNOWN_MISSES11,
              "heldout12": KNOWN_MISSES12, "heldout13": KNOWN_MISSES13}.get(path.parent.name, KNOWN_MISSES10)
    if "# EXPECT: bug" in text:
        lines = _site_lines(text, site)
        hit = any(f.confirmed and f.line in lines for f in shown)
        if path.name in misses:
            assert not hit, f"now confirmed: take {path.name} off the known misses"
        else:
            assert hit, session.report()
    elif path.name in DISPUTED:
        assert [f.code for f in session.findings if not f.refuted] == ["ML601"], session.report()
    else:
        assert [f for f in session.findings if not f.refuted] == [], session.report()
