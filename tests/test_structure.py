"""The design contracts of the code base itself: one conventions table, self-registering rules,
and one module of name heuristics."""
from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import pytest

import masklint
from masklint import conventions as C
from masklint.analysis import names
from masklint.engine import check_source
from masklint.rules import base as rules_base

PACKAGE = Path(masklint.__file__).parent


def _python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "conventions.py")


def test_no_api_key_strings_outside_the_conventions_table():
    """Per-API facts live on the table's entries: nothing else names an API by its key."""
    keys = set(C.BY_KEY)
    hits = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
                hits.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert hits == []


def test_no_identifier_regexes_outside_names():
    """Every guess from how code is written is in masklint/analysis/names.py."""
    analysis = [p for p in _python_files() if p.parent.name in ("analysis", "rules") and p.name != "names.py"]
    offenders = [str(p.relative_to(PACKAGE)) for p in analysis if re.search(r"\bre\.(compile|search|match)\(",
                                                                           p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_table_entry_is_complete():
    for api in C.APIS:
        assert api.qualnames, api.key
        positions = [p.position for p in api.params if p.position is not None]
        assert len(positions) == len(set(positions)), api.key
        if api.causal_target:
            assert api.param(api.causal_target) is not None, api.key
        for flag in api.causal_flags:
            assert flag.applies_to == "" or api.param(flag.applies_to) is not None, (api.key, flag.name)
        for side, q, k in api.sides:
            assert api.stack is C.Stack.MASK_BUILDER or {q, k} <= set(api.inputs), (api.key, side)
        for p in api.params:
            assert p.shapes or api.stack is C.Stack.MASK_BUILDER, (api.key, p.name)
    assert C.api_for("torch.nn.modules.activation.MultiheadAttention") is C.MHA
    assert C.api_for("keras.src.layers.attention.multi_head_attention.MultiHeadAttention") is C.KERAS_MHA
    assert C.api_for("mypkg.MultiheadAttention") is None


@pytest.mark.parametrize("text, expected", [
    ("num_heads", True), ("self.n_head", True), ("cfg.heads", True), ("self.num_attention_heads", True),
    ("bsz * num_heads", False), ("batch_size", False), ("B", False), ("self.nhead * N", False),
    ("n_layers", False),
])
def test_head_count_names(text, expected):
    assert names.is_head_count(text) is expected


@pytest.mark.parametrize("pattern, text, expected", [
    (names.LENISH, "lengths", True), (names.LENISH, "src_lens", True), (names.LENISH, "x_len", True),
    (names.LENISH, "seq_lens", True), (names.LENISH, "length_penalty", False), (names.LENISH, "mask", False),
    (names.LENISH, "n_visits", True), (names.LENISH, "num_frames", True), (names.LENISH, "n_heads", False),
    (names.LENISH, "num_layers", False),
    (names.PADDING_MASK_PARAM, "word_pad", True), (names.PADDING_MASK_PARAM, "src_key_padding_mask", True),
    (names.PADDING_MASK_PARAM, "pad_mask", True), (names.PADDING_MASK_PARAM, "pad_id", False),
    (names.PADDING_MASK_PARAM, "padding_idx", False), (names.PADDING_MASK_PARAM, "pad_len", False),
    (names.TOKENISH, "input_ids", True), (names.TOKENISH, "tokens", True), (names.TOKENISH, "batch.src", True),
    (names.TOKENISH, "scores", False), (names.TOKENISH, "log_seqs", True), (names.TOKENISH, "attn_weights", False),
    (names.PAD_NAME, "pad_id", True), (names.PAD_NAME, "self.padding_idx", True), (names.PAD_NAME, "eos_id", False),
    (names.TARGET, "tgt_tokens", True), (names.TARGET, "decoder_input", True), (names.TARGET, "src_tokens", False),
    (names.AUTOREGRESSIVE_CLASS, "GPT2Model", True), (names.AUTOREGRESSIVE_CLASS, "CharLM", True),
    (names.AUTOREGRESSIVE_CLASS, "TransformerLM", True), (names.AUTOREGRESSIVE_CLASS, "LMHead", True),
    (names.AUTOREGRESSIVE_CLASS, "Film", False), (names.AUTOREGRESSIVE_CLASS, "Classifier", False),
    (names.BIDIRECTIONAL_CLASS, "BertEncoder", True), (names.BIDIRECTIONAL_CLASS, "ViTBlock", True),
    (names.BIDIRECTIONAL_CLASS, "TransformerEncoderLM", False), (names.BIDIRECTIONAL_CLASS, "GPT", False),
    (names.KV_CACHE, "past_key", True), (names.KV_CACHE, "self.cache_k", True), (names.KV_CACHE, "layer_past[0]", True),
    (names.KV_CACHE, "cache.keys", True), (names.KV_CACHE, "prev_v", True), (names.KV_CACHE, "k", False),
    (names.KV_CACHE, "key_states", False), (names.KV_CACHE, "memory", False), (names.KV_CACHE, "precache_ok", False),
    (names.NUMERIC_GUARD, "S == L", True), (names.NUMERIC_GUARD, "q.size(-2) > 1", True),
    (names.NUMERIC_GUARD, 'mode == "train"', False), (names.NUMERIC_GUARD, "past is None", False),
    (names.VOCAB, "vocab_size", True), (names.VOCAB, "config.n_vocab", True), (names.VOCAB, "d_model", False), (names.VOCAB, "n_words", True),
    (names.VOCAB, "num_chars", True), (names.VOCAB, "keywords_dim", False),
    (names.HALF_PRECISION, "model.half()", True), (names.HALF_PRECISION, "torch.autocast('cuda')", True),
    (names.HALF_PRECISION, "x.float()", False),
    (names.BF16_AUTOCAST, "torch.autocast('cuda', dtype=torch.bfloat16)", True),
    (names.BF16_AUTOCAST, "torch.autocast('cuda')", False),
])
def test_name_heuristics(pattern, text, expected):
    assert bool(pattern.search(text)) is expected


def test_a_rule_module_that_exists_runs(tmp_path, monkeypatch):
    """Registration needs no list: a new module in masklint/rules is imported and its rule runs."""
    import masklint.rules as package

    extra = tmp_path / "extra_rule_for_test.py"
    extra.write_text(textwrap.dedent('''
        from masklint.rules.base import Rule
        from masklint.rules._common import finding

        class EveryAttentionCall(Rule):
            code = "ML999"
            name = "every-attention-call"
            summary = "test only"

            def on_sink(self, event):
                yield finding(self.code, event, event.node, "an attention call")
    '''))
    monkeypatch.setattr(package, "__path__", list(package.__path__) + [str(tmp_path)])
    monkeypatch.setattr(rules_base, "_loaded", False)
    try:
        assert rules_base.get_rule("ML999") is not None
        src = "import torch.nn.functional as F\ndef f(q, k, v):\n    return F.scaled_dot_product_attention(q, k, v)\n"
        codes = [d.code for d in check_source(src, "m.py").diagnostics]
        assert codes == ["ML999"]
        # and the engine runs only the selected rules
        assert check_source(src, "m.py", codes={"ML101"}).diagnostics == []
    finally:
        rules_base.REGISTRY.pop("ML999", None)
        sys.modules.pop("masklint.rules.extra_rule_for_test", None)


def test_every_rule_declares_its_metadata():
    for rule in rules_base.all_rules():
        assert re.fullmatch(r"ML\d{3}", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.code
        assert rule.severity in ("error", "warning")
        assert rule.confirmed_by in ("experiment", "check", ""), rule.code
        assert rule.summary


def _evaluate(source: str, name: str):
    """The abstract value the analysis gives ``name`` at the end of a module."""
    import libcst as cst

    from masklint.analysis.interp import Interpreter
    from masklint.analysis.modules import ModuleInfo
    from masklint.engine import Project

    index = Project([Path(".").resolve()]).index()
    info = ModuleInfo(source, "probe.py", cst.parse_module(source), "probe", index)
    frame = Interpreter([], index).module_frame(info)
    return frame.env[name]


@pytest.mark.parametrize("call, imports, blocked, dtype", [
    ("causal_lower_right(8, 8)", "from torch.nn.attention.bias import causal_lower_right", "future", "bool"),
    ("causal_upper_left(8, 8)", "from torch.nn.attention.bias import causal_upper_left", "future", "bool"),
    ("xops.LowerTriangularMask()", "import xformers.ops as xops", "future", "float"),
    ("fmha.attn_bias.BlockDiagonalCausalMask.from_seqlens([3, 5])", "from xformers.ops import fmha",
     "future", "float"),
    ("BlockDiagonalMask.from_seqlens([3, 5])", "from xformers.ops.fmha.attn_bias import BlockDiagonalMask",
     "other", "float"),
    ("create_causal_mask(config=c, input_embeds=x, attention_mask=m)",
     "from transformers.masking_utils import create_causal_mask", "future", "?"),
    ("_prepare_4d_causal_attention_mask(m, (2, 8), x, 0)",
     "from transformers.modeling_attn_mask_utils import _prepare_4d_causal_attention_mask", "future", "float"),
    ("_prepare_4d_attention_mask(m, x.dtype)",
     "from transformers.modeling_attn_mask_utils import _prepare_4d_attention_mask", "padding", "float"),
])
def test_library_mask_sources_follow_their_documented_convention(call, imports, blocked, dtype):
    from masklint.analysis.values import Mask, Region

    m = _evaluate(f"{imports}\nm = {call}\n", "m")
    assert isinstance(m, Mask)
    assert m.dtype.value == dtype
    if blocked == "future":
        assert m.is_causal_shaped()
        if dtype == "bool":
            assert m.true_set() is Region.LOWER  # True = may attend
        elif dtype == "float":
            assert m.neg_set() in (Region.SUPER, Region.BLOCK_MIX)  # -inf on the future
    elif blocked == "padding":
        assert m.neg_set() is Region.PAD and not m.is_causal_shaped()
    else:
        assert not m.is_causal_shaped() and m.true_set() is Region.UNKNOWN


def test_no_module_constant_is_bound_twice():
    """A module-level name assigned twice is one definition silently replacing another (names.py
    once held two HEAD_MASK patterns, and the second one, for names, broke the check of code)."""
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen = set()
        for stmt in tree.body:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(
                stmt, ast.AnnAssign) and stmt.value is not None else []
            for t in targets:
                if isinstance(t, ast.Name) and t.id.isupper():
                    if t.id in seen:
                        offenders.append(f"{path.relative_to(PACKAGE)}: {t.id}")
                    seen.add(t.id)
    assert offenders == []
