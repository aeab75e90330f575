"""Instrumenting changes nothing the program can observe: outputs (bit for bit), gradients, RNG
state, module state and the code path torch takes (fast paths included)."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.profiler import profile

import masklint
from masklint.runtime import patching, validators
from rt_helpers import E, H, L, N, hf_right_padded

KEEP_CAUSAL = torch.tril(torch.ones(L, L, dtype=torch.bool))  # a bug for nn.*: experiments run


def twice(fn, seed=1):
    """``fn()`` plain and instrumented from the same seed: (plain, instrumented, rng states, session)."""
    torch.manual_seed(seed)
    plain = fn()
    rng_plain = torch.get_rng_state()
    torch.manual_seed(seed)
    with masklint.instrument(mode="collect") as s:
        checked = fn()
    return plain, checked, (rng_plain, torch.get_rng_state()), s


def same(a, b):
    """Bit-identical, NaN where NaN (fully masked rows are NaN on some paths)."""
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is b
    return torch.equal(a.isnan(), b.isnan()) and torch.equal(a.nan_to_num(0.0), b.nan_to_num(0.0))


PATH_OPS = ("aten::_native_multi_head_attention", "aten::_transformer_encoder_layer_fwd",
            "aten::_nested_tensor_from_mask", "aten::_scaled_dot_product_flash_attention_for_cpu",
            "aten::_softmax", "aten::baddbmm", "aten::bmm")


def ops(fn):
    """How often each op that tells the attention code path apart ran (the checks use none)."""
    with profile() as prof:
        fn()
    names = [e.name for e in prof.events()]
    return {op: names.count(op) for op in PATH_OPS}


def encoder(**kw):
    layer = nn.TransformerEncoderLayer(E, H, 16, dropout=0.2, batch_first=True)
    return nn.TransformerEncoder(layer, 2, **kw)


def test_training_outputs_gradients_rng_and_module_state_are_untouched():
    model = encoder()
    x = torch.randn(N, L, E, requires_grad=True)
    state = {k: v.clone() for k, v in model.state_dict().items()}

    def step():
        model.zero_grad()
        x.grad = None
        out = model(x, mask=KEEP_CAUSAL, src_key_padding_mask=~hf_right_padded().bool())  # dropout active
        out.sum().backward()
        return out, x.grad.clone(), [p.grad.clone() for p in model.parameters()]

    plain, checked, (rng_a, rng_b), s = twice(step)
    assert [f.code for f in s.findings] == ["ML101"]  # experiments did run
    assert same(plain, checked)
    assert torch.equal(rng_a, rng_b)
    assert model.training and all(torch.equal(v, state[k]) for k, v in model.state_dict().items())
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())


@pytest.mark.parametrize("kind", ["mha", "encoder_layer", "nested"])
def test_eval_fast_paths_are_still_taken(kind):
    kpm = ~hf_right_padded().bool()
    x = torch.randn(N, L, E)
    if kind == "mha":
        module, op = nn.MultiheadAttention(E, H, batch_first=True), "aten::_native_multi_head_attention"
        call = lambda: module(x, x, x, key_padding_mask=kpm)  # noqa: E731
    elif kind == "encoder_layer":
        module, op = nn.TransformerEncoderLayer(E, H, 16, batch_first=True), "aten::_transformer_encoder_layer_fwd"
        call = lambda: module(x, src_key_padding_mask=kpm)  # noqa: E731
    else:
        module, op = encoder(enable_nested_tensor=True), "aten::_nested_tensor_from_mask"
        call = lambda: module(x, src_key_padding_mask=kpm)  # noqa: E731
    module.eval()
    with torch.no_grad():
        plain_ops, plain = ops(call), call()
        with masklint.instrument(mode="collect") as s:
            checked_ops, checked = ops(call), call()
    assert plain_ops[op] == 1
    assert plain_ops == checked_ops
    assert same(plain, checked) and s.findings == []


def test_fast_path_outputs_identical_while_experiments_run():
    layer = nn.TransformerEncoderLayer(E, H, 16, batch_first=True).eval()
    x = torch.randn(N, L, E)
    with torch.no_grad():
        plain, checked, rng, s = twice(lambda: layer(x, src_mask=KEEP_CAUSAL))
    assert [f.code for f in s.findings] == ["ML101"]
    assert same(plain, checked)
    assert torch.equal(*rng) and not layer.training


def test_sdpa_and_autocast_bf16():
    q, k, v = (torch.randn(N, H, L, E) for _ in range(3))
    bad = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
    plain, checked, rng, s = twice(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=bad, dropout_p=0.3))
    assert same(plain, checked) and torch.equal(*rng) and [f.code for f in s.findings] == ["ML102"]

    mha = nn.MultiheadAttention(E, H, batch_first=True, dropout=0.1)
    x = torch.randn(N, L, E)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        plain, checked, rng, s = twice(lambda: mha(x, x, x, attn_mask=KEEP_CAUSAL)[0])
    assert plain.dtype == torch.bfloat16 and same(plain, checked) and torch.equal(*rng)
    assert [f.code for f in s.findings] == ["ML101"]


def test_torch_compile_eager_backend_is_left_alone_with_a_note():
    """Calls inside compiled code are the originals (a check would break the graph and change
    results); the report names the compile, and the same call run eagerly is checked."""
    torch._dynamo.reset()
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(N, L, E)
    plain = torch.compile(mha, backend="eager")(x, x, x, attn_mask=KEEP_CAUSAL)[0]
    torch._dynamo.reset()
    with masklint.instrument(mode="collect") as s:
        checked = torch.compile(mha, backend="eager")(x, x, x, attn_mask=KEEP_CAUSAL)[0]
        assert s.findings == []
        mha(x, x, x, attn_mask=KEEP_CAUSAL)  # the eager step: checked
    torch._dynamo.reset()
    assert same(plain, checked)
    assert any("torch.compile(MultiheadAttention)" in n and "not checked" in n for n in s.notes)
    (f,) = s.findings
    assert (f.code, f.confirmed) == ("ML101", True)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_jit_script_is_left_alone_with_a_note():
    layer = nn.TransformerEncoderLayer(E, H, 16, batch_first=True).eval()
    x = torch.randn(N, L, E)
    with masklint.instrument(mode="collect") as s:
        scripted = torch.jit.script(layer)
        assert patching.installed()  # back in place after scripting
        out = scripted(x, src_mask=KEEP_CAUSAL)
    assert same(out, torch.jit.script(layer)(x, src_mask=KEEP_CAUSAL))
    assert s.findings == [] and any("jit.script" in n for n in s.notes)


def test_uninstrument_restores_the_identical_objects():
    from torch.nn.attention import flex_attention as flex

    missing = object()
    before = {(o, n): vars(o).get(n, missing) for o, n, _ in patching._targets()}
    inherited = {(o, n) for (o, n), f in before.items() if f is missing}
    assert inherited == {(torch.Tensor, n) for n in ("masked_fill", "masked_fill_", "__add__", "__iadd__", "add", "add_")}
    script = torch.jit.script
    masklint.instrument(mode="collect")
    assert all(vars(o)[n] is not f for (o, n), f in before.items())
    masklint.uninstrument()
    assert all(vars(o).get(n, missing) is f for (o, n), f in before.items())
    assert torch.Tensor.masked_fill is torch._C.TensorBase.masked_fill
    assert torch.Tensor.__add__ is torch._C.TensorBase.__add__ and torch.add is before[(torch, "add")]
    assert torch.jit.script is script and flex.flex_attention is before[(flex, "flex_attention")]
    assert F.scaled_dot_product_attention is torch._C._nn.scaled_dot_product_attention


def test_internal_errors_are_reported_not_raised(monkeypatch, caplog):
    def broken(*a, **k):
        raise ZeroDivisionError("masklint bug")

    monkeypatch.setattr(validators, "check", broken)
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(N, L, E)
    plain, checked, _, s = twice(lambda: mha(x, x, x)[0])
    assert torch.equal(plain, checked)
    assert s.findings == [] and "ZeroDivisionError: masklint bug" in s.errors[0]
    assert "masklint bug" in caplog.text


def test_torch_compile_fullgraph_is_not_broken():
    """A fullgraph compile allows no graph break: checks step aside inside it, results are identical."""
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(2, 6, 8)
    with torch.no_grad():
        block = ~KEEP_CAUSAL  # a correct mask: no NaN rows to compare
        plain = torch.compile(mha, backend="eager", fullgraph=True)(x, x, x, attn_mask=block)[0]
        torch._dynamo.reset()
        with masklint.instrument(mode="collect") as session:
            checked = torch.compile(mha, backend="eager", fullgraph=True)(x, x, x, attn_mask=block)[0]
        torch._dynamo.reset()
    assert torch.equal(plain, checked)
    assert any("torch.compile(MultiheadAttention)" in n and "not checked" in n for n in session.notes)


# --- torch.compile: bit-identical on every backend, training and eval ------------------------------
V, D = 50, 32


class SdpaGPT(nn.Module):
    """nanoGPT-style: SDPA with is_causal and dropout."""

    def __init__(self):
        super().__init__()
        self.emb, self.qkv, self.out = nn.Embedding(V, D), nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.drop, self.head = nn.Dropout(0.1), nn.Linear(D, V)

    def forward(self, idx):
        b, t = idx.shape
        x = self.drop(self.emb(idx))
        q, k, v = self.qkv(x).view(b, t, 3, 4, D // 4).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=0.1 if self.training else 0.0)
        return self.head(x + self.drop(self.out(y.transpose(1, 2).reshape(b, t, D))))


class MhaGPT(nn.Module):
    """nn.MultiheadAttention layers with dropout and a bool causal mask."""

    def __init__(self):
        super().__init__()
        self.emb, self.head, self.drop = nn.Embedding(V, D), nn.Linear(D, V), nn.Dropout(0.1)
        self.layers = nn.ModuleList([nn.MultiheadAttention(D, 4, dropout=0.1, batch_first=True) for _ in range(2)])

    def forward(self, idx):
        t = idx.size(1)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=idx.device), 1)
        x = self.drop(self.emb(idx))
        for layer in self.layers:
            x = x + layer(x, x, x, attn_mask=mask, need_weights=False)[0]
        return self.head(x)


class EncoderGPT(nn.Module):
    """nn.TransformerEncoder with a float causal mask and is_causal."""

    def __init__(self):
        super().__init__()
        self.emb, self.head = nn.Embedding(V, D), nn.Linear(D, V)
        layer = nn.TransformerEncoderLayer(D, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, idx):
        mask = nn.Transformer.generate_square_subsequent_mask(idx.size(1))
        return self.head(self.enc(self.emb(idx), mask=mask, is_causal=True))


class ManualGPT(nn.Module):
    """Hand-written attention: masked_fill and torch.where on the scores (checked by masklint's
    wrappers when eager), in place and out of place, with dropout on the probabilities."""

    def __init__(self):
        super().__init__()
        self.emb, self.qkv, self.out = nn.Embedding(V, D), nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.drop, self.head = nn.Dropout(0.1), nn.Linear(D, V)

    def forward(self, idx):
        b, t = idx.shape
        x = self.drop(self.emb(idx))
        q, k, v = self.qkv(x).view(b, t, 3, 4, D // 4).permute(2, 0, 3, 1, 4)
        future = torch.ones(t, t, dtype=torch.bool, device=idx.device).triu(1)
        att = (q @ k.transpose(-2, -1)) * (D // 4) ** -0.5
        att = att.masked_fill(future, float("-inf"))
        att.masked_fill_(future, -1e9)
        att = torch.where(~future, att, torch.finfo(att.dtype).min)
        y = self.drop(att.softmax(-1)) @ v
        return self.head(x + self.drop(self.out(y.transpose(1, 2).reshape(b, t, D))))


def compiled_step(model_cls, backend, fullgraph, instrumented):
    """One training step (dropout, backward, optimizer) and one eval pass of a compiled model:
    (loss, gradients, parameters after the step, eval logits, RNG state after)."""
    torch._dynamo.reset()
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # inductor's CPU kernels reduce in parallel: one thread makes runs repeatable
    model = model_cls()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    idx = torch.randint(0, V, (4, 12))
    session = masklint.instrument(mode="collect") if instrumented else None
    try:
        compiled = torch.compile(model, backend=backend, fullgraph=fullgraph)
        model.train()
        logits = compiled(idx)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), idx[:, 1:].reshape(-1))
        loss.backward()
        grads = [p.grad.clone() for p in model.parameters()]
        opt.step()
        model.eval()
        with torch.no_grad():
            logits_eval = compiled(idx)
    finally:
        if session is not None:
            session.close()
        torch._dynamo.reset()
        torch.set_num_threads(threads)
    return loss.detach(), grads, [p.detach().clone() for p in model.parameters()], logits_eval, \
        torch.get_rng_state(), session


def identical(a, b) -> bool:
    try:
        assert_bit_identical(a, b)
        return True
    except AssertionError:
        return False


def compare_compiled(model_cls, backend, fullgraph):
    """Plain and instrumented compiled runs, bit for bit.  A first plain run fills inductor's
    caches: a cold compile on this CPU is not always bit-identical to a cached one (about 1e-10
    apart, without masklint), and a disagreement that a second plain run shows too is inductor's
    own, not masklint's."""
    compiled_step(model_cls, backend, fullgraph, False)  # warm-up
    plain = compiled_step(model_cls, backend, fullgraph, False)
    checked = compiled_step(model_cls, backend, fullgraph, True)
    if not identical(plain, checked):
        others = [compiled_step(model_cls, backend, fullgraph, False) for _ in range(2)]
        if any(identical(o, checked) for o in others):
            return checked[5]  # the same as one plain run: the differing one was inductor's own noise
        if not all(identical(plain, o) for o in others):
            pytest.skip(f"{backend} is not run-to-run deterministic here, masklint or not")
    assert_bit_identical(plain, checked)
    return checked[5]


def assert_bit_identical(a, b):
    assert torch.equal(a[0], b[0]), (a[0].item(), b[0].item())
    assert all(torch.equal(x, y) for x, y in zip(a[1], b[1])), "gradients differ"
    assert all(torch.equal(x, y) for x, y in zip(a[2], b[2])), "parameters differ after the step"
    assert torch.equal(a[3], b[3]), "eval logits differ"
    assert torch.equal(a[4], b[4]), "the global RNG state differs"


def test_torch_compile_inductor_is_bit_identical_in_training_and_eval():
    """The case that changed results: inductor compiles a graph broken by checks differently
    (fusions, dropout random streams).  Compiled calls are now exactly the originals."""
    session = compare_compiled(MhaGPT, "inductor", False)
    assert any("torch.compile(MhaGPT)" in n for n in session.notes)


def test_torch_compile_inductor_with_hand_written_attention_is_bit_identical():
    """Tensor.masked_fill is wrapped too: inside compiled code it is the original op."""
    session = compare_compiled(ManualGPT, "inductor", False)
    assert session.findings == []


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["eager", "aot_eager", "inductor"])
@pytest.mark.parametrize("fullgraph", [False, True])
@pytest.mark.parametrize("model_cls", [SdpaGPT, MhaGPT, EncoderGPT, ManualGPT], ids=lambda c: c.__name__)
def test_torch_compile_matrix_is_bit_identical(model_cls, backend, fullgraph):
    if fullgraph and model_cls is EncoderGPT:
        pytest.skip("nn.TransformerEncoder does not compile with fullgraph=True in torch 2.13 (a graph break of its own)")
    compare_compiled(model_cls, backend, fullgraph)


@pytest.mark.parametrize("variant", ["causal_lower_right", "causal_upper_left"])
def test_sdpa_with_a_causal_bias_object_is_unchanged(variant):
    """A CausalBias handles SDPA itself only when handed F.scaled_dot_product_attention, which is
    masklint's wrapper while instrumented: results (dropout and gradients included) must not move."""
    from torch.nn.attention import bias as attn_bias

    make = getattr(attn_bias, variant)

    def step():
        torch.manual_seed(3)
        q = torch.randn(2, 2, 3, 8, requires_grad=True)
        k = torch.randn(2, 2, 7, 8, requires_grad=True)
        out = F.scaled_dot_product_attention(q, k, k, attn_mask=make(3, 7), dropout_p=0.2)
        out.sum().backward()
        return out.detach(), q.grad, k.grad

    plain = step()
    with masklint.instrument(mode="collect") as s:
        checked = step()
    assert all(torch.equal(a, b) for a, b in zip(plain, checked))
    assert s.errors == []
