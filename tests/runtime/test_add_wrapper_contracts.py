"""The wrappers of hand-written attention's adds, masked_fill and where run on every such call of a
program: they must never raise into it, never add ops to what another machinery records (a
TorchDispatchMode, torch.jit.trace, vmap), and keep a tensor subclass's __torch_function__ table
working.  Reproductions of a review's findings."""
from __future__ import annotations

import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

import masklint


def _both(fn):
    plain = fn()
    with masklint.instrument(mode="collect") as s:
        checked = fn()
    return plain, checked, s


def test_unusual_adds_run_as_without_masklint():
    cases = [
        lambda: torch.randn(0, 4, 4, generator=torch.Generator().manual_seed(0)) + torch.zeros(0, 1, 4),
        lambda: torch.func.vmap(lambda s: s + torch.full((1, 4), -1e9).triu(1))(torch.ones(3, 2, 4, 4)),
        lambda: torch.ones(2, 4, 4) + torch.zeros(2, 4, 4).to_sparse(),
        lambda: torch.ones(2, 4, 4).add(torch.full((1, 4), -1e9), alpha=2),
        lambda: torch.ones(2, 4, 4, dtype=torch.int64) + torch.ones(1, 4, dtype=torch.int64),
    ]
    for fn in cases:
        plain, checked, s = _both(fn)
        assert torch.equal(plain.to_dense() if plain.is_sparse else plain,
                           checked.to_dense() if checked.is_sparse else checked)
        assert s.errors == []


class _Ops(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(str(func.overloadpacket))
        return func(*args, **(kwargs or {}))


def _recorded():
    scores, bias = torch.randn(2, 4, 8, 8), torch.zeros(2, 1, 1, 8)
    bias[..., 6:] = -1e9
    with torch.no_grad(), _Ops() as mode:
        (scores + bias).softmax(-1)
    return mode.ops


def test_a_dispatch_mode_records_only_the_programs_ops():
    plain = _recorded()
    with masklint.instrument(mode="collect"):
        checked = _recorded()
    assert checked == plain


class _Traced(nn.Module):
    def forward(self, q, k, lengths):
        pad = torch.arange(k.shape[1])[None] >= lengths[:, None]
        return (q @ k.transpose(-1, -2) + pad[:, None, :].float() * -1e9).softmax(-1)


def _trace_warnings():
    q, k, lengths = torch.randn(2, 4, 8), torch.randn(2, 4, 8), torch.tensor([4, 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        traced = torch.jit.trace(_Traced(), (q, k, lengths))
    return [str(w.message) for w in caught if "TracerWarning" in type(w.message).__name__
            or "Converting a tensor" in str(w.message)], str(traced.graph)


def test_jit_trace_sees_no_extra_ops_or_warnings():
    plain = _trace_warnings()
    with masklint.instrument(mode="collect"):
        checked = _trace_warnings()
    assert checked[0] == plain[0]
    assert "amin" not in checked[1]


class _Logged(torch.Tensor):
    HANDLED: dict = {}

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in cls.HANDLED:
            return cls.HANDLED[func](*args, **(kwargs or {}))
        return super().__torch_function__(func, types, args, kwargs or {})


for _f in (torch.add, torch.Tensor.add, torch.Tensor.__add__, torch.Tensor.add_, torch.Tensor.masked_fill):
    _Logged.HANDLED[_f] = lambda *a, **k: "handled"


def test_a_subclass_torch_function_table_still_matches():
    def calls():
        x, y = torch.ones(3).as_subclass(_Logged), torch.ones(3)
        return [torch.add(x, y), x.add(y), x + y, x.clone().add_(y), x.masked_fill(y > 0, 0.0)]
    with masklint.instrument(mode="collect"):
        assert calls() == ["handled"] * 5


def test_lookahead_window_and_empty_neighbourhoods_are_not_findings():
    q, k, v = (torch.randn(2, 2, 6, 8, generator=torch.Generator().manual_seed(i)) for i in range(3))
    lookahead = torch.ones(6, 6, dtype=torch.bool).tril(1)  # a streaming encoder's one-frame right context
    _, _, s = _both(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=lookahead))
    assert s.findings == []
    attn = nn.MultiheadAttention(16, 2, batch_first=True, add_zero_attn=True)
    query, neigh = torch.randn(4, 1, 16), torch.randn(4, 4, 16)
    pad = torch.arange(4)[None, :] >= torch.tensor([4, 3, 1, 0])[:, None]  # sorted longest first, one empty
    _, _, s = _both(lambda: attn(query, neigh, neigh, key_padding_mask=pad)[0])
    assert s.findings == []
