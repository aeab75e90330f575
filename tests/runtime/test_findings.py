"""Each runtime finding is confirmed on buggy code and silent on correct code, per API and path."""
from __future__ import annotations

import contextlib

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention
from torch.nn.functional import scaled_dot_product_attention as sdpa_bound_early

import masklint
from rt_helpers import E, H, L, N, codes, hf_left_padded, hf_right_padded

KEEP_CAUSAL = torch.tril(torch.ones(L, L, dtype=torch.bool))  # True = attend (SDPA convention)
BLOCK_CAUSAL = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)  # True = hidden (MHA convention)


def mode(module, train):
    """Training, or eval under no_grad (the fast paths)."""
    module.train(train)
    return contextlib.nullcontext() if train else torch.no_grad()


def seq(batch_first, length=L):
    x = torch.randn(N, length, E)
    return x if batch_first else x.transpose(0, 1).contiguous()


# --- nn.MultiheadAttention: both layouts, training and the eval fast path -------------------------
LAYOUTS = [pytest.param(bf, train, id=f"{'bf' if bf else 'seq_first'}-{'train' if train else 'eval'}")
           for bf in (True, False) for train in (True, False)]


@pytest.mark.parametrize("batch_first,train", LAYOUTS)
def test_mha_keep_mask_is_ml101(collect, batch_first, train):
    mha = nn.MultiheadAttention(E, H, batch_first=batch_first)
    x = seq(batch_first)
    with mode(mha, train):
        s = collect(lambda: mha(x, x, x, attn_mask=KEEP_CAUSAL))
    (f,) = s.findings
    assert (f.code, f.confirmed, f.param) == ("ML101", True, "attn_mask")
    assert "saw future key" in f.evidence and "X" in f.evidence  # the experiment and its picture
    assert f.path == __file__


@pytest.mark.parametrize("batch_first,train", LAYOUTS)
def test_mha_correct_masks_are_silent(collect, batch_first, train):
    mha = nn.MultiheadAttention(E, H, batch_first=batch_first)
    x = seq(batch_first)
    kpm = ~hf_right_padded().bool()

    def run():
        mha(x, x, x, attn_mask=nn.Transformer.generate_square_subsequent_mask(L))
        mha(x, x, x, attn_mask=BLOCK_CAUSAL, key_padding_mask=kpm)
        mha(x, x, x, key_padding_mask=~hf_left_padded().bool())
        per_sample = torch.zeros(N, L, L, dtype=torch.bool)
        per_sample[1, :, 4:] = True
        mha(x, x, x, attn_mask=per_sample.repeat_interleave(H, 0))

    with mode(mha, train):
        assert collect(run).findings == []


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_mha_hf_mask_as_kpm_is_ml602(collect, train):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = seq(True)
    with mode(mha, train):  # need_weights=False: training takes the SDPA path (S2)
        s = collect(lambda: mha(x, x, x, key_padding_mask=hf_right_padded().bool(), need_weights=False))
    (f,) = s.findings
    assert f.code == "ML602" and f.confirmed
    assert "Hugging Face" in f.message  # the other sample keeps only its padding
    # S2 gives rows equal to out_proj.bias (no NaN): confirmed by perturbation; the fast path NaN
    assert ("NaN" in f.evidence) != train
    assert ("left its output unchanged" in f.evidence) == train


def test_mha_head_stacking_with_repeat_is_ml302(collect):
    mha = nn.MultiheadAttention(E, H)
    x = seq(False)
    per_sample = torch.zeros(N, L, L, dtype=torch.bool)
    per_sample[1, :, 4:] = True  # sample 1 must not see keys 4, 5
    s = collect(lambda: mha(x, x, x, attn_mask=per_sample.repeat(H, 1, 1)))
    (f,) = s.findings
    assert f.code == "ML302" and f.confirmed
    assert "sample 1: query 0 saw" in f.evidence


def test_mha_float_masks(collect):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = seq(True)
    s = collect(lambda: (mha(x, x, x, attn_mask=torch.tril(torch.ones(L, L))),  # P2-1
                         mha(x, x, x, key_padding_mask=hf_right_padded().float())))  # P2-2
    assert codes(s) == ["ML201", "ML202"]
    assert all(f.confirmed and "1.0-marked key" in f.evidence for f in s.findings)


def test_mha_row_without_keys_is_ml601(collect):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = seq(True)
    mask = BLOCK_CAUSAL.clone()
    mask[3] = True  # query 3 may see nothing
    s = collect(lambda: mha(x, x, x, attn_mask=mask))
    (f,) = s.findings
    assert f.code == "ML601" and f.confirmed and "query 3" in f.evidence


def test_mha_is_causal_without_mask_on_fast_path_is_ml402(collect):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = seq(True)
    with mode(mha, False):
        s = collect(lambda: mha(x, x, x, is_causal=True))
    (f,) = s.findings
    assert f.code == "ML402" and f.confirmed and "saw future key" in f.evidence


@pytest.mark.parametrize("make_mask,code", [
    (lambda: torch.zeros(N, L, L, dtype=torch.bool), "ML301"),  # (N, L, S) where (N*H, L, S) is needed
    (lambda: torch.zeros(L, N, dtype=torch.bool), "ML304"),  # key padding mask laid out (S, N)
    (lambda: nn.Transformer.generate_square_subsequent_mask(N), "ML303"),  # sized from the batch
], ids=["3d-per-sample", "kpm-transposed", "sized-from-batch"])
def test_mha_shapes_torch_rejects_are_reported_first(collect, make_mask, code):
    mha = nn.MultiheadAttention(E, H)
    x = seq(False)
    name = "key_padding_mask" if code == "ML304" else "attn_mask"
    found = []

    def run():
        with pytest.raises((RuntimeError, AssertionError)):
            mha(x, x, x, **{name: make_mask()})

    found = collect(run).findings
    assert [(f.code, f.confirmed) for f in found] == [(code, True)]


def test_int_mask_is_ml203_and_device_mismatch_ml603(collect):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = seq(True)

    def run():
        with pytest.raises(AssertionError):
            mha(x, x, x, key_padding_mask=hf_right_padded())
        with contextlib.suppress(Exception):  # torch may or may not reject it
            mha(x, x, x, attn_mask=BLOCK_CAUSAL.to("meta"))

    s = collect(run)
    assert codes(s) == ["ML203", "ML603"] and all(f.confirmed for f in s.findings)


def test_functional_mha_forward(collect):
    mha = nn.MultiheadAttention(E, H)
    x = seq(False)

    def call(mask):
        return F.multi_head_attention_forward(
            x, x, x, E, H, mha.in_proj_weight, mha.in_proj_bias, None, None, False, 0.0,
            mha.out_proj.weight, mha.out_proj.bias, training=False, attn_mask=mask)

    assert collect(lambda: call(BLOCK_CAUSAL)).findings == []
    assert codes(collect(lambda: call(KEEP_CAUSAL))) == ["ML101"]


# --- Transformer modules ------------------------------------------------------------------------
def encoder_layer(**kw):
    return nn.TransformerEncoderLayer(E, H, 16, dropout=0.1, batch_first=True, **kw)


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval-fastpath"])
def test_encoder_layer_keep_mask_is_ml101(collect, train):
    layer = encoder_layer()
    x = seq(True)
    with mode(layer, train):
        s = collect(lambda: layer(x, src_mask=KEEP_CAUSAL))
    assert [(f.code, f.confirmed, f.api) for f in s.findings] == [("ML101", True, "nn.TransformerEncoderLayer")]


def test_encoder_layer_bias_read_as_bool_on_fast_path_is_ml605(collect):
    layer = encoder_layer()
    x = seq(True)
    idx = torch.arange(L)
    alibi = -0.5 * (idx[None] - idx[:, None]).abs().float()
    with mode(layer, True):
        assert collect(lambda: layer(x, src_mask=alibi)).findings == []  # additive in training: fine
    with mode(layer, False):
        s = collect(lambda: layer(x, src_mask=alibi))
    (f,) = s.findings
    assert f.code == "ML605" and f.confirmed and "differ" in f.evidence


def test_encoder_layer_binary_float_on_fast_path_is_ml202_by_path_disagreement(collect):
    layer = encoder_layer()
    x = seq(True)
    with mode(layer, False):
        s = collect(lambda: layer(x, src_mask=torch.triu(torch.ones(L, L), 1)))
    (f,) = s.findings
    assert f.code == "ML202" and f.confirmed and "training (slow path) and eval (fast path)" in f.evidence


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval-nested"])
def test_encoder(collect, train):
    enc = nn.TransformerEncoder(encoder_layer(), 2)
    x = seq(True)
    with mode(enc, train):
        good = collect(lambda: (enc(x, src_key_padding_mask=~hf_right_padded().bool()),
                                enc(x, mask=nn.Transformer.generate_square_subsequent_mask(L))))
        bad = collect(lambda: enc(x, src_key_padding_mask=hf_right_padded().bool()))
        causal_hint = collect(lambda: enc(x, is_causal=True) if not train else None)
    assert good.findings == []
    assert [(f.code, f.confirmed) for f in bad.findings] == [("ML602", True)]
    assert codes(causal_hint) == ([] if train else ["ML402"])


def test_decoder_layer_and_decoder(collect):
    layer = nn.TransformerDecoderLayer(E, H, 16, dropout=0.0, batch_first=True)
    dec = nn.TransformerDecoder(layer, 2)
    tgt, memory = seq(True, 5), seq(True)
    causal5 = nn.Transformer.generate_square_subsequent_mask(5)
    kpm = ~hf_right_padded().bool()

    def good():
        layer(tgt, memory, tgt_mask=causal5, memory_key_padding_mask=kpm)
        dec(tgt, memory, tgt_mask=causal5, memory_key_padding_mask=kpm, tgt_is_causal=True)

    assert collect(good).findings == []
    all_padded = torch.ones(N, L, dtype=torch.bool)
    s = collect(lambda: (layer(tgt, memory, tgt_mask=torch.tril(torch.ones(5, 5, dtype=torch.bool))),
                         dec(tgt, memory, tgt_mask=causal5, memory_key_padding_mask=all_padded)))
    assert [(f.code, f.api, f.confirmed) for f in s.findings] == [
        ("ML101", "nn.TransformerDecoderLayer", True), ("ML602", "nn.TransformerDecoder", True)]


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
def test_transformer_missing_memory_padding_mask_is_ml502(collect, train):
    model = nn.Transformer(E, H, 1, 1, 16, dropout=0.0, batch_first=True)
    src, tgt = seq(True), seq(True, 5)
    kpm = ~hf_right_padded().bool()
    causal = model.generate_square_subsequent_mask(5)
    with mode(model, train):
        good = collect(lambda: model(src, tgt, tgt_mask=causal, src_key_padding_mask=kpm,
                                     memory_key_padding_mask=kpm))
        bad = collect(lambda: model(src, tgt, tgt_mask=causal, src_key_padding_mask=kpm))
    assert good.findings == []
    (f,) = bad.findings
    assert (f.code, f.confirmed, f.param) == ("ML502", True, "memory_key_padding_mask")
    assert "saw padded source key" in f.evidence


def test_transformer_tgt_keep_mask_is_reported_once_at_the_outer_call(collect):
    model = nn.Transformer(E, H, 1, 1, 16, dropout=0.0, batch_first=True)
    src, tgt = seq(True), seq(True, 5)
    s = collect(lambda: model(src, tgt, tgt_mask=torch.tril(torch.ones(5, 5, dtype=torch.bool))))
    assert [(f.code, f.api, f.param) for f in s.findings] == [("ML101", "nn.Transformer", "tgt_mask")]


# --- F.scaled_dot_product_attention ---------------------------------------------------------------
def qkv():
    return torch.randn(N, H, L, E), torch.randn(N, H, L, E), torch.randn(N, H, L, E)


def test_sdpa_correct_masks_are_silent(collect):
    q, k, v = qkv()

    def run():
        F.scaled_dot_product_attention(q, k, v, is_causal=True)
        F.scaled_dot_product_attention(q, k, v, attn_mask=KEEP_CAUSAL)
        F.scaled_dot_product_attention(q, k, v, attn_mask=hf_left_padded().bool()[:, None, None, :])
        F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(L, L).masked_fill(BLOCK_CAUSAL, float("-inf")))

    assert collect(run).findings == []


def test_sdpa_bugs(collect):
    q, k, v = qkv()
    dead_row = KEEP_CAUSAL.clone()
    dead_row[2] = False

    def run():
        F.scaled_dot_product_attention(q, k, v, attn_mask=BLOCK_CAUSAL)  # P1-1: MHA convention
        F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(L, L, dtype=torch.bool), is_causal=True)
        F.scaled_dot_product_attention(q, k, v, attn_mask=dead_row)
        for bad in (hf_right_padded()[:, None, None, :], torch.zeros(L, L, dtype=torch.float64)):
            with pytest.raises(RuntimeError):
                F.scaled_dot_product_attention(q, k, v, attn_mask=bad)

    s = collect(run)
    assert [(f.code, f.confirmed) for f in s.findings] == [
        ("ML102", True), ("ML403", True), ("ML601", True), ("ML203", True), ("ML604", True)]
    assert "exactly 0" in s.findings[2].evidence  # SDPA's fully masked rows are 0, not NaN


def test_sdpa_bound_before_instrumenting_is_seen(collect):
    q, k, v = qkv()
    assert codes(collect(lambda: sdpa_bound_early(q, k, v, attn_mask=BLOCK_CAUSAL))) == ["ML102"]
    assert sdpa_bound_early is torch._C._nn.scaled_dot_product_attention  # restored


# --- flex_attention --------------------------------------------------------------------------------
def test_flex_attention(collect):
    q, k, v = qkv()
    causal = create_block_mask(lambda b, h, qi, kv: qi >= kv, None, None, L, L, device="cpu")
    future = create_block_mask(lambda b, h, qi, kv: qi < kv, None, None, L, L, device="cpu")
    past_only = create_block_mask(lambda b, h, qi, kv: qi > kv, None, None, L, L, device="cpu")
    assert collect(lambda: flex_attention(q, k, v, block_mask=causal)).findings == []
    s = collect(lambda: (flex_attention(q, k, v, block_mask=future), flex_attention(q, k, v, block_mask=past_only)))
    assert [(f.code, f.confirmed) for f in s.findings] == [("ML102", True), ("ML404", True)]


# --- ML405: is_causal=True with fewer queries than keys (a KV cache) -------------------------------
def test_is_causal_on_a_kv_cache_step_is_confirmed_and_square_calls_are_left_alone():
    torch.manual_seed(0)
    past = torch.randn(1, 2, 5, 8)
    new_q, new_k = torch.randn(1, 2, 1, 8), torch.randn(1, 2, 1, 8)
    keys = torch.cat([past, new_k], dim=2)
    chunk_q = torch.randn(1, 2, 3, 8)
    with masklint.instrument(mode="collect", static=False) as s:
        F.scaled_dot_product_attention(new_q, keys, keys, is_causal=True)  # decode: 1 query, 6 keys
        F.scaled_dot_product_attention(chunk_q, keys, keys, is_causal=True)  # chunked prefill: 3 queries
        square = torch.randn(1, 2, 6, 8)
        F.scaled_dot_product_attention(square, keys, keys, is_causal=True)  # as many queries as keys: fine
        F.scaled_dot_product_attention(new_q, keys, keys)  # one new token, no causal mask: fine
    found = [(f.code, f.confirmed) for f in s.findings]
    assert found == [("ML405", True), ("ML405", True)]
    assert "1 queries and 6 keys" in s.findings[0].message and "causal_lower_right(1, 6)" in s.findings[0].message
    assert "the causal mask aligned bottom-right" in s.findings[0].evidence


# --- an additive padding mask built inverted: confirmed as the inverted mask it is -----------------
def _hf_batch():
    torch.manual_seed(0)
    attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])  # 1 = real token
    q = torch.randn(2, 2, 6, 8)
    return attention_mask, q, torch.finfo(q.dtype).min


@pytest.mark.parametrize("build", ["times_min", "masked_fill_keep"])
def test_an_inverted_additive_padding_mask_is_ml103_naming_the_visible_padded_keys(build):
    attention_mask, q, low = _hf_batch()
    if build == "times_min":  # `attention_mask * finfo.min` without the `1 -`
        ext = attention_mask[:, None, None, :].to(q.dtype) * low
    else:  # masked_fill on the positions to keep
        ext = torch.zeros(2, 1, 1, 6).masked_fill(attention_mask[:, None, None, :].bool(), low)
    with masklint.instrument(mode="collect", static=False) as s:
        F.scaled_dot_product_attention(q, q, q, attn_mask=ext)
    (f,) = [f for f in s.findings if not f.refuted]
    assert (f.code, f.confirmed) == ("ML103", True)
    assert "sample 0: keys [4, 5]" in f.message and "(1.0 - attention_mask)" in f.message
    assert "sample 0: query 0 saw padded key 4" in f.evidence


def test_hf_left_padded_causal_additive_masks_show_nothing():
    """Left padding plus causal, as Hugging Face builds it: the pad queries' rows are all finfo.min
    (uniform attention on padding, whose outputs are ignored): nothing shown."""
    attention_mask, q, low = _hf_batch()
    left = attention_mask.flip(-1)  # [[0, 0, 1, 1, 1, 1], [1, ...]]
    causal = torch.ones(6, 6, dtype=torch.bool).tril()
    keep = causal[None, None] & left[:, None, None, :].bool()
    ext = torch.zeros(2, 1, 6, 6).masked_fill(~keep, low)
    with masklint.instrument(mode="collect", static=False) as s:
        F.scaled_dot_product_attention(q, q, q, attn_mask=ext)
    assert [f for f in s.findings if not f.refuted] == []
    assert "refuted" not in s.report() or "(not shown)" in s.report()


def test_a_01_keep_mask_added_to_a_causal_bias_is_ml202():
    """Values {finfo.min, 0, 1}: the padding (0) stays visible.  The same with the mask made
    0/-inf first is clean, and so is a causal bias plus ALiBi-like slopes."""
    attention_mask, q, low = _hf_batch()
    causal = torch.full((6, 6), low).triu(1)[None, None]
    wrong = causal + attention_mask[:, None, None, :].float()
    right = (causal + (1.0 - attention_mask[:, None, None, :].float()) * low).clamp(min=low)
    slopes = causal + torch.arange(6.0)[None, None, None, :] * 0.5  # a bias, not a mask
    shown = []
    for bias in (wrong, right, slopes):
        with masklint.instrument(mode="collect", static=False) as s:  # a fresh session: each is checked
            F.scaled_dot_product_attention(q, q, q, attn_mask=bias)
        shown.append([(f.code, f.confirmed) for f in s.findings if not f.refuted])
        if bias is wrong:
            assert "padded (0 in the 0/1 mask) key 4" in s.findings[0].evidence
    assert shown == [[("ML202", True)], [], []]


class _CachedDecoder(nn.Module):
    def __init__(self, causal_with_cache):
        super().__init__()
        self.qkv, self.causal_with_cache = nn.Linear(16, 48), causal_with_cache

    def forward(self, x, cache=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, 2, -1).permute(2, 0, 3, 1, 4)
        mask = None
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            if self.causal_with_cache:
                mask = torch.ones(t, k.size(2), dtype=torch.bool).tril(k.size(2) - t)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=cache is None)
        return y, (k, v)


@pytest.mark.parametrize("fixed", [False, True])
def test_a_chunk_decoded_against_a_kv_cache_without_its_mask_is_ml401(fixed):
    torch.manual_seed(0)
    model = _CachedDecoder(causal_with_cache=fixed)
    with masklint.instrument(mode="collect", static=False) as s:
        _, cache = model(torch.randn(1, 5, 16))        # prefill: causal
        _, cache = model(torch.randn(1, 3, 16), cache)  # a chunk of 3 new tokens
        model(torch.randn(1, 1, 16), cache)             # one new token: no mask needed
    shown = [(f.code, f.confirmed) for f in s.findings if not f.refuted]
    assert shown == ([] if fixed else [("ML401", True)])


@pytest.mark.parametrize("passes_memory_mask", [False, True])
def test_a_decoder_fed_a_padded_encoders_output_without_memory_mask_is_ml502(passes_memory_mask):
    """Encoder and decoder called separately (not nn.Transformer): the runtime links the decoder's
    memory to the encoder call that produced it and the source padding that call masked."""
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 1, enable_nested_tensor=False)
    dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(16, 2, 32, batch_first=True), 1)
    src, tgt = torch.randn(2, 7, 16), torch.randn(2, 5, 16)
    src_pad = torch.zeros(2, 7, dtype=torch.bool)
    src_pad[0, 4:] = True
    causal = nn.Transformer.generate_square_subsequent_mask(5)
    with masklint.instrument(mode="collect", static=False) as s:
        memory = enc(src, src_key_padding_mask=src_pad)
        extra = {"memory_key_padding_mask": src_pad} if passes_memory_mask else {}
        dec(tgt, memory, tgt_mask=causal, **extra)
    shown = [(f.code, f.confirmed) for f in s.findings if not f.refuted]
    assert shown == ([] if passes_memory_mask else [("ML502", True)])
