"""Runtime findings added after an independent held-out run: each confirmed on buggy code at the
user's call site, silent on its correct twin, results unchanged."""
from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

import masklint
from rt_helpers import codes


def _qkv(n=3, h=2, length=5, e=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, h, length, e, generator=g) for _ in range(3)]


def _line_of(fragment):
    lines = open(__file__).read().splitlines()
    return next(i + 1 for i, text in enumerate(lines) if fragment in text)


def _collect(fn):
    plain = fn()
    with masklint.instrument(mode="collect") as s:
        checked = fn()
    torch.testing.assert_close(plain, checked, rtol=0, atol=0, equal_nan=True)
    return s


def test_padding_mask_written_true_is_pad_into_sdpa():
    q, k, v = _qkv()
    lengths = torch.tensor([5, 3, 2])
    is_pad = torch.arange(5)[None, :] >= lengths[:, None]  # the nn.MultiheadAttention habit
    s = _collect(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=is_pad[:, None, None, :]))  # bug-pad
    f = next(f for f in s.findings if f.code == "ML102")
    assert f.confirmed and f.line == _line_of("# bug-pad")
    assert "padded" in f.evidence
    ok = _collect(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=~is_pad[:, None, None, :]))
    assert ok.findings == []


def test_raw_padding_mask_into_sdpa_when_batch_equals_length():
    q, k, v = _qkv(n=5)
    keep = torch.arange(5)[None, :] < torch.tensor([5, 3, 4, 2, 5])[:, None]  # (N, S) with N == L
    s = _collect(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=keep))  # bug-rows
    f = next(f for f in s.findings if f.code == "ML301")
    assert f.confirmed and f.line == _line_of("# bug-rows")
    ok = _collect(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :]))
    assert ok.findings == []
    causal = torch.ones(5, 5, dtype=torch.bool).tril()  # a triangle is a causal (L, S) mask, fine
    assert _collect(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=causal)).findings == []


def test_anti_causal_mask_mod_into_flex_attention():
    q, k, v = _qkv(n=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        anti = create_block_mask(lambda b, h, qi, ki: qi <= ki, None, None, 5, 5, device="cpu")
        causal = create_block_mask(lambda b, h, qi, ki: qi >= ki, None, None, 5, 5, device="cpu")
        s = _collect(lambda: flex_attention(q, k, v, block_mask=anti))  # bug-flex
        ok = _collect(lambda: flex_attention(q, k, v, block_mask=causal))
    f = next(f for f in s.findings if f.code == "ML102")
    assert f.confirmed and f.line == _line_of("# bug-flex")
    assert ok.findings == []


class _LM(nn.Module):
    """A GPT-style model whose blocks run without a causal mask (the linter reports ML401)."""

    def __init__(self, vocab=11, d=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, 2, 16, 0.0, batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        return self.head(self.blocks(self.emb(idx)))

    def generate(self, idx, steps):
        for _ in range(steps):
            nxt = self(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


def test_missing_causal_mask_is_confirmed_by_a_future_leak():
    torch.manual_seed(0)
    model = _LM().eval()
    idx = torch.randint(0, 11, (2, 6))
    with torch.no_grad():
        s = _collect(lambda: model(idx))
    f = next(f for f in s.findings if f.code == "ML401")
    assert f.confirmed, f.evidence
    assert "future" in f.evidence
    assert f.line == _line_of("return self.head(self.blocks(self.emb(idx)))")


def test_opt_in_static_rules_are_not_rechecked_by_default():
    """ML204 (mixed mask kinds) is off by default: the runtime does not report it either."""
    torch.manual_seed(0)
    dec = nn.TransformerDecoderLayer(8, 2, 16, 0.0, batch_first=True).eval()
    tgt, mem = torch.randn(2, 5, 8), torch.randn(2, 4, 8)
    causal = nn.Transformer.generate_square_subsequent_mask(5)
    pad = torch.tensor([[False] * 5, [False, False, False, True, True]])
    with torch.no_grad():
        s = _collect(lambda: dec(tgt, mem, tgt_mask=causal, tgt_key_padding_mask=pad))
    assert "ML204" not in codes(s)
