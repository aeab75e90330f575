"""Checks on the real mask tensors of one call.  They yield *suspects*: a code, a message, and the
experiments that would confirm it (``experiments.Leak`` and friends).  Facts the API itself
enforces (an int mask, a shape it rejects, a device mismatch) are confirmed without experiment.

Polarity is never hard-coded: every bool mask is read through its ``MaskParam.polarity`` from
``masklint.conventions``; float masks are additive (or boolean on the encoder eval fast path).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import weakref
from typing import Dict, List, Optional, Tuple

import torch

from masklint import conventions as C
from masklint.conventions import Heads3D, Layout, Polarity, Role, Stack
from masklint.runtime import report
from masklint.runtime import rows
from masklint.runtime.calls import Call, always_a_key, takes_fast_path
from masklint.runtime.rows import padded_queries, runs_in_half
from masklint.runtime.experiments import Compare, Dead, Disagree, Leak

#: an additive value this far below the best key of its row gets weight exp(-1e4) = 0
NEG_BLOCK = 1e4
#: largest broadcast mask (elements) whose content is analysed; larger ones get facts only
MAX_CELLS = 1 << 26


@dataclass
class Suspect:
    code: str
    message: str
    param: str = ""
    fact: bool = False  # confirmed by the API's own rules: no experiment needed
    evidence: List[str] = field(default_factory=list)
    tests: list = field(default_factory=list)  # experiments, tried in order until one confirms
    side: str = ""
    picture: str = ""  # the mask as read; shown unless an experiment drew a better one


# --- reading masks as the API reads them ---------------------------------------------------------
def dtype_kind(m: torch.Tensor) -> str:
    if m.dtype == torch.bool:
        return "bool"
    return "float" if m.is_floating_point() else "int"


def float_as_bool(call: Call, p) -> bool:
    """The encoder-layer eval fast path converts float masks to bool (nonzero = blocked)."""
    return call.api.fast_path_float_as_bool and call.side_of(p) == "src" and takes_fast_path(call)


def to4d(call: Call, p, m: torch.Tensor) -> Optional[torch.Tensor]:
    """``m`` as (N|1, H|1, Lq|1, Lk), the layout every API reads it in; None if it does not fit."""
    lq, lk = call.lengths[call.side_of(p)]
    n, h = call.n, call.num_heads
    if call.api.layout is Layout.HEADS:
        q = call.query
        target = tuple(q.shape[:-2]) + (lq, lk)
        try:
            torch.broadcast_shapes(tuple(m.shape), target)
        except RuntimeError:
            return None
        m = m.reshape((1,) * (q.dim() - m.dim()) + tuple(m.shape)) if m.dim() < q.dim() else m
        return m if m.dim() == 4 else (m[:, None] if m.dim() == 3 else m[None, None])
    if p.role is Role.KEY_PADDING:
        if n is None:
            return m[None, None, None, :] if tuple(m.shape) == (lk,) else None
        return m[:, None, None, :] if tuple(m.shape) == (n, lk) else None
    if tuple(m.shape) == (lq, lk):
        return m[None, None]
    if m.dim() == 3 and tuple(m.shape[1:]) == (lq, lk) and m.shape[0] == (n or 1) * h:
        return m.view(n or 1, h, lq, lk)
    return None


def _bias_of(blocked: torch.Tensor) -> torch.Tensor:
    return torch.zeros(blocked.shape, device=blocked.device).masked_fill_(blocked, float("-inf"))


def additive(call: Call, p, m4: torch.Tensor) -> torch.Tensor:
    """The mask as the additive float bias the kernel applies (0 attend, -inf blocked)."""
    if m4.dtype == torch.bool:
        return _bias_of(m4 if p.polarity is Polarity.BLOCK else ~m4)
    if float_as_bool(call, p):
        return _bias_of(m4 != 0)
    return m4.float()


def keep_of(bias: torch.Tensor) -> torch.Tensor:
    """Which keys a query can attend to under an additive bias (softmax is shift-invariant)."""
    best = bias.amax(-1, keepdim=True)
    return (bias > best - NEG_BLOCK) & (best > float("-inf"))


def _square_structure(keep: torch.Tensor):
    """(future fully attended, share of rows whose own key is blocked) of (..., L, L) keep masks."""
    L = keep.shape[-1]
    future = torch.ones(L, L, dtype=torch.bool, device=keep.device).triu(1)
    all_future = bool(keep[..., future].all()) if L > 1 else False
    diag_blocked = (~keep.diagonal(dim1=-2, dim2=-1)).float().mean().item()
    allows_future = bool(keep[..., future].any()) if L > 1 else False
    return all_future, diag_blocked, allows_future


# --- the checks ----------------------------------------------------------------------------------
def facts(call: Call, p, m: torch.Tensor) -> List[Suspect]:
    """Dtype, device and shape checks: every call, cheap (attributes only)."""
    out: List[Suspect] = []
    q = call.query
    api = call.api.display
    kind = dtype_kind(m)
    if m.device != q.device:
        out.append(Suspect("ML603", f"{p.name} is on {m.device} but the query is on {q.device}: "
                           f"{api} needs them on one device", p.name, fact=True))
    if kind == "int":
        out.append(Suspect("ML203", f"{p.name} has dtype {m.dtype}: {api} accepts only bool or float "
                           f"masks ({_meaning(p)}); an integer mask raises or is misread", p.name, fact=True))
    if (call.api.layout is Layout.HEADS and kind == "float" and m.dtype != q.dtype
            and not torch.is_autocast_enabled(q.device.type)):
        out.append(Suspect("ML604", f"float {p.name} has dtype {m.dtype} but the query is {q.dtype}: "
                           f"{api} rejects a float mask of another dtype; cast it with .to(query.dtype)",
                           p.name, fact=True))
    if to4d(call, p, m) is None:
        out.append(_shape_suspect(call, p, m))
    return out


def _meaning(p) -> str:
    return "True = not attended" if p.polarity is Polarity.BLOCK else "True = attended"


def _shape_suspect(call: Call, p, m: torch.Tensor) -> Suspect:
    lq, lk = call.lengths[call.side_of(p)]
    n, h, shape, api = call.n, call.num_heads, tuple(m.shape), call.api.display
    if p.role is Role.KEY_PADDING:
        want = f"(N, S) = ({n}, {lk})" if n is not None else f"(S,) = ({lk},)"
        if n is not None and shape == (lk, n):
            return Suspect("ML304", f"{p.name} has shape {shape} = (S, N); {api} wants {want}: "
                           f"transpose it", p.name, fact=True)
        return Suspect("ML301", f"{p.name} has shape {shape}; {api} wants {want}", p.name, fact=True)
    if call.api.layout is Layout.HEADS:
        if m.dim() == 3 and n is not None and shape[0] == n and call.query.dim() == 4:
            return Suspect("ML301", f"3-D {p.name} {shape} = (N, L, S): {api} broadcasts masks from the "
                           f"right, so dim 0 meets the heads; use {p.name}[:, None] for (N, 1, L, S)",
                           p.name, fact=True)
        return Suspect("ML301", f"{p.name} of shape {shape} does not broadcast to "
                       f"{tuple(call.query.shape[:-2]) + (lq, lk)}", p.name, fact=True)
    want = f"(L, S) = ({lq}, {lk}) or (N*H, L, S) = ({(n or 1) * h}, {lq}, {lk})"
    if m.dim() == 2 and shape[0] == shape[1] and n is not None and shape[0] == n != lq:
        return Suspect("ML303", f"{p.name} is {shape}: sized from the batch dimension (N = {n}); "
                       f"{api} wants {want}" + ("" if call.batch_first else " (batch_first=False: "
                                                "the sequence is dim 0)"), p.name, fact=True)
    if m.dim() == 3 and shape[0] == n and h > 1:
        return Suspect("ML301", f"3-D {p.name} is (N, L, S) = {shape}; {api} wants (N*H, L, S): use "
                       f"{p.name}.repeat_interleave({h}, dim=0)", p.name, fact=True)
    return Suspect("ML301", f"{p.name} has shape {shape}; {api} wants {want}", p.name, fact=True)


def content(call: Call) -> List[Suspect]:
    """Checks that read mask values: once per call site and shape signature, then sampled."""
    out: List[Suspect] = []
    for side in call.lengths:
        out.extend(_side(call, side))
    out.extend(_hints(call))
    out.extend(_score_mod_bias(call))
    return out


def _score_mod_bias(call: Call) -> List[Suspect]:
    """A flex ``score_mod`` that adds a 0/1 mask to the score (``score + keep[b, kv_idx]``), where
    the linter reported it (ML202 on the score_mod's lines): evaluated over the call's grid, the
    bias holds only 0 and 1, so the keys it should hide get +0 and the kept ones +1."""
    fn = call.get("score_mod")
    code = getattr(fn, "__code__", None)
    if code is None or code.co_argcount != 5 or "self" not in call.lengths:
        return []
    from masklint.runtime import callsite

    lines = [line for _, _, line in code.co_lines() if line]
    lo, hi = code.co_firstlineno, max(lines, default=code.co_firstlineno)
    if not any(d.code == "ML202" and lo <= d.line <= hi for d in callsite.static_diagnostics(code.co_filename)):
        return []
    q = call.query
    lq, lk = call.lengths["self"]
    if q.dim() != 4 or q.shape[0] * q.shape[1] * lq * lk > MAX_CELLS:
        return []
    try:
        from torch.func import vmap

        dev = q.device
        zero = torch.zeros((), device=dev, dtype=q.dtype)
        grid = lambda b, h, i, j: fn(zero, b, h, i, j)  # noqa: E731
        for dims in ((None, None, None, 0), (None, None, 0, None), (None, 0, None, None), (0, None, None, None)):
            grid = vmap(grid, in_dims=dims)
        with torch.no_grad():
            bias = grid(*(torch.arange(n, device=dev) for n in (q.shape[0], q.shape[1], lq, lk)))
    except Exception:  # noqa: BLE001 - a score_mod vmap cannot run is not judged
        return []
    if not (bool(((bias == 0) | (bias == 1)).all()) and bool((bias == 0).any()) and bool((bias == 1).any())):
        return []
    if bool((bias == bias[..., :1]).all()):
        return []  # the same for every key of a row: not a mask over the keys
    n = int((bias == 0).reshape(bias.shape[0], -1).any(-1).nonzero()[0, 0])
    return [Suspect("ML202", "score_mod adds a 0/1 mask to the scores: the keys where it is 0 get +0, the others "
                    "+1, so it hides no key", "score_mod", fact=True,
                    evidence=["score_mod(0, b, h, q, kv) over this call's grid holds only 0 and 1; an additive "
                              "mask needs a large negative (or -inf) where a key is hidden"],
                    picture=report.picture(bias[n, 0] > 0, f"score_mod's 0/1 bias, sample {n} (. where 1)"),
                    side="self")]


def _side(call: Call, side: str) -> List[Suspect]:
    out: List[Suspect] = []
    params = [(p, m) for p, m in call.masks() if call.side_of(p) == side]
    biases = []
    for p, m in params:
        kind = dtype_kind(m)
        m4 = to4d(call, p, m)
        if m4 is None or kind == "int" or m.device != call.query.device:
            return out  # a fact already explains this side; its content means nothing
        if m4.numel() > MAX_CELLS:
            return out
        out.extend(_float_values(call, p, m, m4, side))
        bias = additive(call, p, m4)
        biases.append(bias)
        if p.role is Role.KEY_PADDING:
            out.extend(_padding(call, p, m4, keep_of(bias)[:, 0, 0, :], side))
        elif p.role is Role.ATTN:
            out.extend(_structure(call, p, m, m4, keep_of(bias), side))
    flex = _flex_keep(call)  # flex_attention's block_mask
    if flex is not None:
        biases.append(_bias_of(~flex))
        out.extend(_structure(call, call.api.params[0] if call.api.params else None, None, None, flex, side,
                              name="block_mask"))
    causal = any(f.aligned == "top_left" and bool(call.get(f.name)) for f in call.api.causal_flags)
    if not biases and not causal:
        return out
    lq, lk = call.lengths[side]
    total = sum(b for b in biases) if biases else torch.zeros(1, 1, lq, lk, device=call.query.device)
    if causal:  # SDPA's is_causal: upper-left aligned
        total = total + _bias_of(torch.ones(lq, lk, dtype=torch.bool, device=total.device).triu(1))
    keep = keep_of(total)
    if not out:
        out.extend(_future_through_others(call, keep, side, ",".join(p.name for p, _ in params) or "block_mask"))
    dead = ~keep.any(-1)  # (N|1, H|1, Lq)
    if dead.any() and not any(s.code in _EXPLAINS_DEAD for s in out) and not always_a_key(call):
        out.extend(_no_key(call, keep, dead, side, ",".join(p.name for p, _ in params) or "block_mask"))
    return out


def _no_key(call: Call, keep: torch.Tensor, dead: torch.Tensor, side: str, name: str) -> List[Suspect]:
    """ML601 for the query rows with no key.  Rows of padded queries alone (left padding under a
    causal mask: the pad queries see only pad keys; a query padding mask) count where this path
    makes them NaN, which the next layer's values spread to every token: nn.MultiheadAttention's
    weights and eval fast paths, and in half precision the fused GPU kernels (P7-4, P7-5), even
    where this run's kernel gives 0.  Where the path gives them a finite output, no query reads
    it and nothing is lost (known without a run on the CPU; elsewhere the experiment looks for
    NaN)."""
    lq, lk = call.lengths[side]
    keep = keep.expand(*keep.shape[:-2], lq, lk)  # a mask over the queries alone broadcasts over the keys
    dead = ~keep.any(-1)
    real = dead & ~padded_queries(keep, dead, to_longest=True)
    only_padded = not bool(real.any())
    half = runs_in_half(call.query)
    if only_padded and _zero_rows(call):
        return []  # known without a run
    shown = dead if only_padded else real
    n, i = (int(x) for x in shown.nonzero()[0][[0, 2]])
    whose = "padded query row(s) (positions no query of the sample attends)" if only_padded else "query row(s)"
    return [Suspect(
        "ML601", f"{int(shown.sum())} {whose} have no key to attend to after all masks of "
        f"{call.api.display} are merged (first: sample {n}, query {i}): {_dead_effect(call)}", name,
        picture=report.picture(keep[n, 0] if keep.shape[1] == 1 else keep[n].any(0), f"merged mask of sample {n}"),
        tests=[Dead(side, shown.all(1), nan_only=only_padded and not half)], side=side)]


def _zero_rows(call: Call) -> bool:
    """Does the path this call takes give a query with no key a finite output, in float32 on a
    device whose kernels are known to (0, then out_proj's bias)?  SDPA and flex; and
    nn.MultiheadAttention and the Transformer layers when they run SDPA: no weights asked for,
    not the eval fast path."""
    if call.query.device.type not in rows.ZERO_ROWS or runs_in_half(call.query):
        return False
    if call.api.layout is Layout.HEADS:
        return True
    return call.api in _RUNS_SDPA and not call.get("need_weights", False) and not takes_fast_path(call)


_RUNS_SDPA = (C.MHA, C.MHA_FUNCTIONAL, C.ENCODER_LAYER, C.ENCODER, C.DECODER_LAYER, C.DECODER, C.TRANSFORMER)


#: largest square self-attention mask whose two-layer reach is computed (L^3 per distinct slice)
MAX_REACH = 512


def _future_through_others(call: Call, keep: torch.Tensor, side: str, name: str) -> List[Suspect]:
    """A mask that is causal for some queries (they see every key up to themselves, none after)
    but lets a key they see see the future: one layer on, they receive it.  A prefix-LM mask that
    opens the prefix's rows (q < prefix) instead of its columns (k < prefix), sink tokens that
    attend to everything in a causal model.  Masks closed under composition (causal, sliding-window causal, prefix LM, a
    tree or permutation order, padding) never trip this; bidirectional ones have no causal rows."""
    lq, lk = call.lengths[side]
    if lq != lk or not 3 <= lq <= MAX_REACH or side == "memory":
        return []
    slices = keep.expand(-1, -1, lq, lk).flatten(0, 1).unique(dim=0)[:8]  # distinct (Lq, Lk) masks
    future = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).triu(1)
    for k in slices:
        seen_keys = k.any(0)  # keys some query attends (padding columns are attended by none)
        # rows that are exactly causal: every key up to the query, none after it (a row that sees
        # only part of its past, as in a K-BERT visible matrix or a local window, is another design)
        exact = (k == (~future & seen_keys)).all(-1)
        causal_rows = exact & (future & seen_keys).any(-1)  # the last query has no future to hide
        if not _causal_tail(exact, k.any(-1)) or not (k & future).any():
            continue
        kf = k.float()
        reach = (kf @ kf) > 0
        leak = causal_rows[:, None] & reach & ~k & future
        if not leak.any():
            continue
        i, j = (int(x) for x in leak.nonzero()[0])
        via = int((k[i] & k[:, j]).nonzero()[0])
        return [Suspect("ML401", f"{name} is causal for {int(causal_rows.sum())} queries (they see every earlier key, no later one), "
                        f"but keys they see attend to later keys: query {i} sees key {via}, which sees key {j}, "
                        f"so one layer on query {i} receives key {j} (a prefix-LM mask that opens the prefix's "
                        f"rows, q < prefix, instead of its columns, k < prefix?)", name,
                        picture=report.picture(k, f"{name} as read"),
                        tests=[Leak(side, leak[None], "future", unit="two_hops")], side=side)]
    return []


def _causal_tail(causal_rows: torch.Tensor, live: torch.Tensor) -> bool:
    """Are the exactly causal rows a run of at least three queries that ends at the last query with
    a key to see (the generated part of a prefix LM), not a row here and there?"""
    rows = causal_rows.nonzero().flatten()
    last = live.nonzero().flatten()
    if rows.numel() < 3 or last.numel() == 0 or int(rows[-1]) != int(last[-1]):
        return False
    return bool(causal_rows[int(rows[0]):int(rows[-1]) + 1][live[int(rows[0]):int(rows[-1]) + 1]].all())


_EXPLAINS_DEAD = ("ML101", "ML102", "ML103", "ML404", "ML602", "ML201", "ML202")


def _binary_additive(m: torch.Tensor) -> bool:
    """Only 0 and large negatives (a padding or causal bias, no ALiBi slopes)."""
    finite = m[torch.isfinite(m)]
    return bool(((finite == 0) | (finite <= -NEG_BLOCK)).all()) and bool((m != 0).any())


def _dead_effect(call: Call, m: Optional[torch.Tensor] = None) -> str:
    if m is not None and m.is_floating_point() and bool(torch.isfinite(m).all()):
        return "a finite large negative on every key: uniform attention over all of them, nothing masked"
    if call.api.layout is Layout.HEADS:
        # even for padded queries whose outputs are unused: the fused GPU kernels give NaN there in
        # half precision, which reaches the loss (real-bug-catalogue P7-5, P7-8)
        return "those outputs are 0 here, NaN on fused GPU kernels in half precision"
    return "their outputs are NaN (or out_proj.bias on the training path)"


def _float_values(call, p, m, m4, side) -> List[Suspect]:
    """0/1 float masks (ML201/ML202) and float biases the encoder fast path reads as bool (ML605)."""
    if dtype_kind(m) != "float":
        return []
    ones = m4 == 1
    if bool(ones.any()) and bool((ones | (m4 == 0)).all()):
        return _binary_float(call, p, m4, ones, side)
    if bool(ones.any()) and p.float_is_additive:
        mixed = _keep01_plus_bias(call, p, m4, side)
        if mixed:
            return mixed
    if p.role is not Role.KEY_PADDING and float_as_bool(call, p) and _is_bias(m4):
        return [Suspect("ML605", f"float {p.name} holds a bias (values other than 0 and -inf); the "
                        f"{call.api.display} eval fast path reads float masks as bool (nonzero = "
                        f"blocked) while training adds them", p.name, tests=[Disagree(side)], side=side)]
    return []


def _binary_float(call, p, m4, ones, side) -> List[Suspect]:
    code = "ML201" if p.role is Role.KEY_PADDING else "ML202"
    lq, lk = call.lengths[side]
    cells = ones.expand(-1, -1, lq, lk).any(1)
    if call.is_self_attention(side) and lq == lk:
        cells = cells & ~torch.eye(lq, dtype=torch.bool, device=cells.device)
    path = ("the eval fast path reads it as bool (1 = blocked) while training adds it"
            if float_as_bool(call, p) else "it is added to the attention logits, so 1 is a small bonus "
            "and 0 is no mask: nothing is hidden")
    fix = f"use a bool mask ({_meaning(p)})" + ("" if code == "ML201" else " or 0/-inf floats")
    return [Suspect(code, f"{p.name} is a 0/1 float mask: {path}; {fix}", p.name,
                    tests=[Leak(side, cells, "1.0-marked", keep_of(additive(call, p, m4)).any(1)),
                           Disagree(side)], side=side)]


def _keep01_plus_bias(call, p, m4, side) -> List[Suspect]:
    """Values {large negative, 0, 1}: a 0/1 keep mask (1 = real token) added to a 0/-inf bias
    (a causal one, say).  Its 0s, the padding, hide nothing.  Only when the 0s of each sample are
    keys at one end of the sequence, as padding is."""
    neg = m4 <= -NEG_BLOCK
    zero = (m4 == 0) & ~neg
    if not bool(neg.any()) or not bool(zero.any()) or not bool(((m4 == 1) | zero | neg).all()):
        return []
    zero_keys = zero.any(1).any(1)  # (N, S): keys left at 0 (not masked, not marked 1) in a sample
    for row in zero_keys:
        if bool(row.any()) and (bool(row.all()) or not _run_at_an_end(row)):
            return []
    lq, lk = call.lengths[side]
    cells = zero.expand(-1, -1, lq, lk).any(1)
    return [Suspect("ML202", f"{p.name} holds large negatives, 0 and 1: a 0/1 keep mask added to a 0/-inf bias. "
                    f"Adding it hides nothing: its 0s (the padding) stay visible, its 1s are a bonus; turn it "
                    f"into 0/-inf first: (1.0 - mask) * torch.finfo(dtype).min", p.name,
                    tests=[Leak(side, cells, "padded (0 in the 0/1 mask)", keep_of(additive(call, p, m4)).any(1))],
                    side=side)]


def _is_bias(m4: torch.Tensor) -> bool:
    finite = m4[torch.isfinite(m4)]
    return bool(((finite != 0) & (finite > -NEG_BLOCK)).any())


def _padding(call, p, m4, keep_keys, side) -> List[Suspect]:
    """keep_keys: (N, S) which keys each sample may attend to."""
    dead = ~keep_keys.any(-1)
    if not dead.any() or always_a_key(call):
        return _transposed(call, p.name, keep_keys, side)
    samples = dead.nonzero().flatten().tolist()
    hint = ""
    if m4.dtype == torch.bool and p.polarity is Polarity.BLOCK and _inverted_right_padding(keep_keys[~dead]):
        hint = (" The other samples keep only a suffix of their keys: this looks like a Hugging Face "
                "attention_mask (1 = real token) passed without inversion; use ~attention_mask.bool().")
    lq = call.lengths[side][0]
    rows = dead[:, None].expand(-1, lq)
    return [Suspect("ML602", f"{p.name} pads every key of sample(s) {samples[:8]}: those queries attend to "
                    f"nothing ({_dead_effect(call)}).{hint}", p.name,
                    evidence=[f"{p.name} as {call.api.display} reads it ({_meaning(p)}):",
                              report.picture(keep_keys, "keys kept per sample (rows: samples)")],
                    tests=[Dead(side, rows)], side=side)]


def _transposed(call, name, keep_keys, side) -> List[Suspect]:
    """A key padding mask built on seq-first (S, N) tokens and passed as (N, S): accepted silently
    when N == S.  Its columns, not its rows, are the samples' padding: each column keeps one run of
    keys at an end (several lengths), while some row does not."""
    n, lk = keep_keys.shape
    if n != lk or n < 2 or bool(keep_keys.all()):
        return []
    columns = keep_keys.T
    if not all(_run_at_an_end(c) for c in columns) or all(_run_at_an_end(r) for r in keep_keys if r.any()):
        return []  # (an empty sample's row is no evidence: a batch sorted by length has runs both ways)
    if int(columns.sum(-1).unique().numel()) < 2:
        return []
    lq = call.lengths[side][0]
    return [Suspect("ML304", f"{name} keeps ({n}, {lk}) keys per sample as {call.api.display} reads it, but its "
                    f"columns, not its rows, are padding runs: it looks built on seq-first (S, N) tokens (N == S "
                    f"hides it); transpose it (or build it from the batch-first tokens)", name,
                    picture=report.picture(keep_keys, "keys kept per sample as read (rows: samples)"),
                    tests=[Leak(side, ~columns[:, None, :].expand(-1, lq, -1), "padded")], side=side)]


def _keys_transposed(call, m4, keep, side, name) -> List[Suspect]:
    """An attention mask that only selects keys per sample, (N, 1, 1, S): a key padding mask in
    another slot, read the same way (``_transposed``)."""
    if m4 is None or m4.shape[0] != call.query.shape[0] or m4.shape[1] != 1 or m4.shape[2] != 1:
        return []
    return _transposed(call, name, keep[:, 0, 0, :], side)


def _structure(call, p, m, m4, keep, side, name=None) -> List[Suspect]:
    """Polarity and head-order evidence of an attention mask (keep: (N|1, H|1, Lq, Lk))."""
    out: List[Suspect] = []
    name = name or p.name
    lq, lk = call.lengths[side]
    keep = keep.expand(-1, -1, lq, lk)  # masks broadcast over queries (SDPA's (N, 1, 1, S))
    inverted_padding = (_inverted_padding(call, p, m, keep, side, name)
                        or _rows_are_samples(call, p, m, keep, side, name)
                        or _slices_are_samples(call, p, m, keep, side, name)
                        or _keys_transposed(call, m4, keep, side, name))
    if inverted_padding:
        return inverted_padding
    square = lq == lk and lq > 1 and side != "memory"  # causal structure needs one sequence
    if square:
        all_future, diag_blocked, _ = _square_structure(keep)
        future = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).triu(1)
        past = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).tril(-1)
        # inverted causal: the future kept and its own key hidden, not with every past key kept (a
        # leave-one-out mask keeps them all: it hides only the diagonal, by design; an inverted
        # window keeps the far past and hides the near one)
        if all_future and diag_blocked > 0.5 and not bool(keep[..., past].all()):
            code = _inverted_code(call, p, m)
            what = "True = attended" if (p is not None and p.polarity is Polarity.BLOCK) else "True = not attended"
            out.append(Suspect(code, f"{name} lets each query attend to later keys and hides its own: it is an "
                               f"inverted causal mask ({_as_read(call, p, m)}; it looks built as {what}); "
                               f"invert it", name, picture=report.picture(keep[0, 0], "mask as read"),
                               tests=[Leak(side, future[None], "future", keep.any(1)),
                                      Dead(side, ~keep.any(-1).all(1))],
                               side=side))
            return out
        if all_future and diag_blocked == 0 and not bool(keep[..., past].any()):
            # keeps exactly j >= i: each query sees itself and every later key, never the past
            code = _inverted_code(call, p, m)
            out.append(Suspect(code, f"{name} lets each query attend to itself and every later key but to no "
                               f"earlier one: an anti-causal mask ({_as_read(call, p, m)}); a causal mask keeps "
                               f"j <= i", name, picture=report.picture(keep[0, 0], "mask as read"),
                               tests=[Leak(side, future[None], "future", keep.any(1))], side=side))
            return out
        if not keep[..., future].any() and bool((~keep.diagonal(dim1=-2, dim2=-1)).all()) \
                and bool(keep[..., past].any()):
            out.append(Suspect("ML404", f"{name} is causal but also hides the diagonal: query 0 attends to "
                               f"nothing ({_dead_effect(call)}); use triu(..., diagonal=1) for a block mask "
                               f"or tril(...) for a keep mask", name,
                               picture=report.picture(keep[0, 0], "mask as read"),
                               tests=[Dead(side, ~keep.any(-1).all(1))], side=side))
            return out
    if m4 is not None and m is not None and m.dim() == 3 and call.api.stacks_heads:
        out.extend(_head_order(call, p, m, keep, side))
    return out


def _as_read(call, p, m) -> str:
    if p is None:
        return "mask_mod returns True where attention is allowed"
    if m is not None and dtype_kind(m) == "float":
        return f"{call.api.display} adds float masks: -inf = blocked"
    return f"{call.api.display} reads bool {p.name} as {_meaning(p)}"


def _inverted_padding(call, p, m, keep, side, name) -> List[Suspect]:
    """A padding mask written True = padding, given to an API that attends where True: some
    samples (those without padding) attend to nothing, the others only to a run of keys at one
    end of the sequence (their padding)."""
    if p is None or m is None:
        return []
    additive_mask = m.is_floating_point() and p.float_is_additive and _binary_additive(m)
    if not additive_mask and (p.polarity is not Polarity.KEEP or m.dtype != torch.bool):
        return []
    if keep.shape[0] < 2:
        return []
    causal = _padding_under_causal(keep)
    if causal is None and not bool((keep == keep[..., :1, :]).all()):
        return []  # not the same keys for every query (nor those and a causal mask): not a padding mask
    per_sample = keep[:, :, -1, :].any(1)  # (N, S): the last query sees every key a padding mask keeps
    dead = ~per_sample.any(-1)
    if not dead.any() or dead.all():
        return []
    for row in per_sample[~dead]:
        if not _run_at_an_end(row) or bool(row.all()):
            return []
        if causal is not None and not bool(row[-1]):
            # under a causal mask, only inverted right padding: a correct right-padded batch with
            # an empty sample keeps runs at the start (left padding with an empty sample, the
            # other reading, is rarer than the bug)
            return []
    samples = dead.nonzero().flatten().tolist()
    lq = call.lengths[side][0]
    hidden = per_sample[:, None, :].expand(-1, lq, -1) & ~dead[:, None, None]
    if causal is not None:
        hidden = hidden & causal
    if additive_mask:
        padded = {int(n): per_sample[n].nonzero().flatten().tolist() for n in (~dead).nonzero().flatten()[:3]}
        shown = "; ".join(f"sample {n}: keys {ks}" for n, ks in padded.items())
        return [Suspect("ML103", f"{name} is an additive padding mask with the large negative on the real tokens "
                        f"(attention_mask * finfo.min without `1 -`, or masked_fill on the kept positions): the "
                        f"samples with padding attend only to their padded keys ({shown}), and sample(s) "
                        f"{samples[:8]} (no padding) have every key masked ({_dead_effect(call, m)}); build it as "
                        f"(1.0 - attention_mask) * torch.finfo(dtype).min", name,
                        picture=report.picture(keep[int((~dead).nonzero()[0]), 0], "mask as read"),
                        tests=[Leak(side, hidden, "padded", keep.any(1))], side=side)]
    return [Suspect(_inverted_code(call, p, m),
                    f"{name} looks like a padding mask written True = padding: sample(s) {samples[:8]} (no "
                    f"padding) attend to nothing ({_dead_effect(call)}) and the others attend only to a run "
                    f"of keys at one end, their padding; {call.api.display} attends where True: invert it "
                    f"(~mask)", name, picture=report.picture(keep[int((~dead).nonzero()[0]), 0], "mask as read"),
                    tests=[Leak(side, hidden, "padded", keep.any(1))], side=side)]


def _padding_under_causal(keep: torch.Tensor) -> Optional[torch.Tensor]:
    """The causal (Lq, Lk) keep pattern when ``keep`` is a causal mask combined with a padding
    mask (each query keeps, of the keys up to itself, those the last query keeps), else None."""
    lq, lk = keep.shape[-2:]
    if lq != lk or lq < 2:
        return None
    tri = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).tril()
    if bool(keep[..., ~tri].any()) or not bool((keep == (keep[..., -1:, :] & tri)).all()):
        return None
    return tri


def _inverted_right_padding(live: torch.Tensor) -> bool:
    """Do the samples that attend to something each keep a run of keys at the end, and does one
    of them block a start (real tokens hidden, padding kept)?  A batch whose other samples keep
    every key has one genuinely empty sample, not an inverted mask."""
    if live.shape[0] == 0 or bool(live.all()):
        return False
    for row in live:
        idx = row.nonzero().flatten()
        if int(idx[-1]) != row.numel() - 1 or int(idx[-1] - idx[0]) + 1 != idx.numel():
            return False
    return True


def _run_at_an_end(row: torch.Tensor) -> bool:
    idx = row.nonzero().flatten()
    if idx.numel() == 0:
        return False
    return int(idx[-1] - idx[0]) + 1 == idx.numel() and (int(idx[0]) == 0 or int(idx[-1]) == row.numel() - 1)


def _rows_are_samples(call, p, m, keep, side, name) -> List[Suspect]:
    """SDPA given a raw (N, S) padding mask where N == L: it broadcasts as (L, S), so query i of
    every sample uses sample i's padding.  Rows that are runs of keys at one end, not a triangle,
    with as many rows as samples, are read as that."""
    if call.api.heads_3d is not Heads3D.BROADCAST or m is None or m.dim() != 2 or m.dtype != torch.bool:
        return []
    n, (lq, lk) = call.query.shape[0], call.lengths[side]
    if n != lq or n < 2:
        return []
    rows = keep[0, 0]
    if not all(_run_at_an_end(r) for r in rows):
        return []
    counts = rows.sum(-1)
    if bool((counts[1:] - counts[:-1] == 1).all()) or bool((counts[:-1] - counts[1:] == 1).all()):
        return []  # a triangle: a causal mask, (L, S) as SDPA reads it
    if int(counts.unique().numel()) < 2 or not bool((counts == lk).any()):
        return []  # padding masks have several lengths, and some sample is not padded
    own = ~rows  # sample n's own padding, if row n is sample n's
    hidden = own[:, None, :].expand(-1, lq, -1)
    return [Suspect("ML301", f"{name} is 2-D with {lq} rows, one per query, and its rows look like per-sample "
                    f"padding rows (the batch has {n} samples, and N == L): SDPA reads a 2-D mask as (L, S), so "
                    f"query i of every sample uses row i; pass mask[:, None, None, :]", name,
                    picture=report.picture(rows, "mask as read"),
                    tests=[Leak(side, hidden, "padded", keep.any(1).expand(n, -1, -1))], side=side)]


def _slices_are_samples(call, p, m, keep, side, name) -> List[Suspect]:
    """SDPA given a per-sample (N, L, S) mask where N == num_heads: it broadcasts a 3-D mask as
    (1, N, L, S), so head h of every sample uses slice h.  Slices that are each one key-padding
    pattern (every query keeps the same run of keys at one end), of several lengths with one
    unpadded, are per-sample padding, not per-head masks.  (Padded segments joined along the keys
    have runs that a per-head mask has too: not judged.)"""
    q = call.query
    if call.api.heads_3d is not Heads3D.BROADCAST or m is None or m.dim() != 3 or q.dim() != 4:
        return []
    n, heads, (lq, lk) = q.shape[0], q.shape[1], call.lengths[side]
    if not (m.shape[0] == n == heads >= 2) or keep.shape[:2] != (1, n):
        return []
    slices = keep[0]  # (N, Lq, Lk) as read: slice h is head h's
    keys = slices.any(1)  # (N, Lk): the keys each slice keeps
    rows_alike = (slices == keys[:, None, :]) | ~slices.any(-1, keepdim=True)  # padded query rows may be empty
    if not bool(rows_alike.all()) or not all(_run_at_an_end(r) for r in keys):
        return []  # (padded segments joined, `cat([regions, text], 1)`, look like per-head masks: not judged)
    counts = keys.sum(-1)
    if int(counts.unique().numel()) < 2 or not bool((counts == lk).any()):
        return []  # padding masks have several lengths, and some sample is not padded
    return [Suspect("ML301", f"{name} is 3-D ({n}, {lq}, {lk}) and each slice is one sample's padding (the batch "
                    f"has {n} samples), but {call.api.display} broadcasts a 3-D mask as (1, {n}, L, S) against "
                    f"({n}, {heads}, L, S): head h of every sample uses slice h (N == num_heads hides it); pass "
                    f"{name}[:, None]", name,
                    picture=report.picture(keys, "keys each slice keeps (rows: slices = heads as read)"),
                    tests=[Leak(side, ~keys[:, None, :].expand(-1, lq, -1), "padded")], side=side)]


def _inverted_code(call, p, m) -> str:
    if p is None:
        return "ML102"  # a flex mask_mod: True = attend
    if m is not None and dtype_kind(m) == "float":
        return "ML103"
    return "ML101" if p.polarity is Polarity.BLOCK else "ML102"


def _head_order(call, p, m, keep, side) -> List[Suspect]:
    """3-D (N*H, L, S) masks are indexed b*H + h; ``.repeat(H, 1, 1)`` stacks them h*N + b."""
    n, h = call.n, call.num_heads
    if not n or n < 2 or h < 2:
        return []
    per_sample = m.view(n, h, *m.shape[1:])
    if bool((per_sample == per_sample[:, :1]).all()):
        return []  # repeat_interleave order (or one mask for all): correct
    if not torch.equal(m, m[:n].repeat(h, *([1] * (m.dim() - 1)))):
        return []  # genuinely per-head masks
    intended = keep_of(additive(call, p, m[:n].view(n, 1, *m.shape[1:])))[:, 0]  # sample b's own mask
    return [Suspect("ML302", f"3-D {p.name} is stacked head-major (mask[k] = mask[k % N], as .repeat({h}, 1, 1) "
                    f"builds it) but {call.api.display} indexes it b*num_heads + h: sample b's heads get other "
                    f"samples' masks; build it with .repeat_interleave({h}, dim=0)", p.name,
                    evidence=[f"mask[b*{h}+h] differs across heads h for a fixed sample b "
                              f"and repeats with period N={n}"],
                    tests=[Leak(side, ~intended, "own-mask-hidden", keep.any(1), unit="layer")],
                    side=side)]


def _flex_keep(call) -> Optional[torch.Tensor]:
    bm = call.get("block_mask")
    if bm is None or getattr(bm, "mask_mod", None) is None:
        return None
    from torch.nn.attention.flex_attention import create_mask

    q = call.query
    lq, lk = call.lengths["self"]
    b, hh = (bm.shape[0], bm.shape[1]) if len(getattr(bm, "shape", ())) == 4 else (1, 1)
    if b * hh * lq * lk > MAX_CELLS:
        b, hh = 1, 1
    return create_mask(bm.mask_mod, b, hh, lq, lk, device=q.device)


def _hints(call: Call) -> List[Suspect]:
    """is_causal hints against the masks, and nn.Transformer's memory padding."""
    out: List[Suspect] = []
    api = call.api
    for flag in api.causal_flags:
        value = call.get(flag.name)
        if value is not True:
            continue
        p = api.param(flag.applies_to)
        mask = call.get(flag.applies_to)
        side = call.side_of(p) if p is not None else "self"
        lq, lk = call.lengths.get(side, (0, 0))
        future = torch.ones(lq, lk, dtype=torch.bool, device=call.query.device).triu(1)[None]
        if flag.forbids_mask:
            if mask is not None and to4d(call, p, mask) is not None:
                out.append(Suspect("ML403", f"{api.display} got both {flag.applies_to} and {flag.name}=True: "
                                   f"the default kernel applies both (causal AND mask), the math kernel and "
                                   f"dropout raise; fold the causal part into the mask", flag.applies_to,
                                   tests=[Compare(side, {flag.name: False}, f"{flag.name}=False")], side=side))
            elif mask is None and flag.aligned == "top_left" and 0 < lq < lk and p is not None:
                out.append(_upper_left(call, flag, p, side, lq, lk))
            continue
        if not flag.ignored_without_mask_in_eval:
            continue
        if mask is None:
            out.append(Suspect("ML402", f"{flag.name}=True without {flag.applies_to}: {api.display} treats "
                               f"it as a hint; the eval fast path runs unmasked and training raises; pass "
                               f"the causal mask too (e.g. nn.Transformer.generate_square_subsequent_mask)",
                               flag.applies_to,
                               tests=[Leak(side, future, "future", _full(call, side))] if lq == lk else [],
                               side=side))
        elif lq == lk and to4d(call, p, mask) is not None and dtype_kind(mask) != "int":
            keep = keep_of(additive(call, p, to4d(call, p, mask))).expand(-1, -1, lq, lk)
            if bool(keep[..., future[0]].any()):
                tests = [Compare(side, {flag.name: False}, f"{flag.name}=False")]
                if call.module is not None:
                    tests.append(Disagree(side))
                out.append(Suspect("ML402", f"{flag.name}=True but {flag.applies_to} is not causal: "
                                   f"{api.display} may use either (the training path replaces the mask by a "
                                   f"causal one, the fast path ignores the hint)", flag.applies_to,
                                   picture=report.picture(keep[0, 0], f"{flag.applies_to} as read"),
                                   tests=tests, side=side))
            elif bool((~keep[..., ~future[0]]).any()):
                # causal and more (padding, a window): the hint says "just causal", and the training
                # path runs a plain causal mask, so what the rest hides is attended
                n = (~keep & ~future[None]).reshape(keep.shape[0], -1).any(-1).nonzero()[0, 0].item() \
                    if keep.shape[0] > 1 else 0
                out.append(Suspect("ML402", f"{flag.name}=True but {flag.applies_to} is more than a causal mask: "
                                   f"the training path replaces it by a plain causal one, so the keys it also "
                                   f"hides (padding) are attended there; drop {flag.name}=True", flag.applies_to,
                                   picture=report.picture(keep[n, 0], f"{flag.applies_to} as read, sample {n}"),
                                   tests=[Compare(side, {flag.name: False}, f"{flag.name}=False")], side=side))
    if api.stack is Stack.ENCODER_DECODER:
        out.extend(_memory_padding(call))
    elif api.stack is Stack.DECODER:
        out.extend(_decoder_memory_padding(call))
    elif api.stack is Stack.ATTENTION:
        out.extend(_cross_attention_padding(call))
    return out


def _upper_left(call: Call, flag, p, side: str, lq: int, lk: int) -> Suspect:
    """is_causal=True with fewer queries than keys: the causal mask is aligned top-left, so the
    last queries (the new tokens of a KV-cache step) miss the keys before them.  Confirmed when
    the bottom-right alignment, which they need, changes the output."""
    device = call.query.device
    read = torch.ones(lq, lk, dtype=torch.bool, device=device).tril()
    right = torch.ones(lq, lk, dtype=torch.bool, device=device).tril(lk - lq)
    return Suspect("ML405", f"{flag.name}=True with {lq} queries and {lk} keys: {call.api.display} aligns the "
                   f"causal mask top-left, so query i sees keys 0..i and the new tokens miss the {lk - lq} keys "
                   f"before them; pass a bottom-right mask (torch.nn.attention.bias.causal_lower_right({lq}, {lk}))",
                   flag.name, picture=report.picture(read, f"{flag.name}=True as {call.api.display} reads it"),
                   tests=[Compare(side, {flag.name: False, p.name: right},
                                  "the causal mask aligned bottom-right")], side=side)


def _full(call: Call, side: str) -> torch.Tensor:
    """The keep mask of a side with no mask at all: everything attended."""
    return torch.ones(1, *call.lengths[side], dtype=torch.bool)


_memories: Dict[int, Tuple["weakref.ref", torch.Tensor]] = {}  # id(encoder output) -> (ref, pads (N, S))


def remember_memory(out: torch.Tensor, pads: torch.Tensor) -> None:
    if len(_memories) > 64:  # outputs of old steps: their tensors are gone
        for key in [k for k, (ref, _) in _memories.items() if ref() is None]:
            del _memories[key]
    _memories[id(out)] = (weakref.ref(out), pads)


def _remembered_pads(out) -> Optional[torch.Tensor]:
    """The padded source positions (N, S) of the encoder call that produced ``out``, if one did."""
    entry = _memories.get(id(out)) if isinstance(out, torch.Tensor) else None
    return entry[1] if entry is not None and entry[0]() is out else None


def forget_memories() -> None:
    _memories.clear()


def _decoder_memory_padding(call: Call) -> List[Suspect]:
    """A decoder whose memory is the output of an encoder call that masked source padding."""
    pads = _remembered_pads(call.get("memory"))
    if pads is None or not call.lengths.get("tgt", (0, 0))[0] or \
            call.lengths.get("memory", (0, 0))[1] != pads.shape[1]:
        return []
    return _memory_mask(call, pads.to(call.query.device),
                        "the encoder call that produced this memory masked source padding (src_key_padding_mask), "
                        "but this decoder call passes no memory_key_padding_mask: its cross-attention attends to "
                        "the padded source positions; pass memory_key_padding_mask=<the source padding mask>",
                        "the encoder call that produced this memory")


def _memory_padding(call: Call) -> List[Suspect]:
    """nn.Transformer: the decoder's memory is the encoder's output over the source, so its
    padding is the source's."""
    pads = _pads(call, "src_key_padding_mask")
    if pads is None:
        return []
    return _memory_mask(call, pads, "src_key_padding_mask pads the source but memory_key_padding_mask is None: "
                        "the decoder's cross-attention attends to the padded memory; pass "
                        "memory_key_padding_mask=src_key_padding_mask", "src_key_padding_mask")


def _memory_mask(call: Call, src_pads: torch.Tensor, missing: str, padded_by: str,
                 kpm: str = "memory_key_padding_mask", side: str = "memory") -> List[Suspect]:
    """The memory's padded positions ``src_pads`` (N, S) must be hidden from the decoder's
    cross-attention (``side``, masked by ``kpm``): no padding mask (ML502), or one that leaves some
    visible, such as the target's padding mask in the memory slot (ML503)."""
    if not src_pads.any():
        return []
    if call.get(kpm) is None:
        return _unmasked_memory(call, src_pads, missing, kpm, side)
    memory_pads = _pads(call, kpm)
    if memory_pads is None or memory_pads.shape != src_pads.shape:
        return []  # a shape fact (ML301) explains it
    visible = src_pads & ~memory_pads
    if not visible.any():
        return []
    n = int(visible.any(-1).nonzero()[0])
    tgt_pads = _pads(call, "tgt_key_padding_mask")
    same = tgt_pads is not None and tgt_pads.shape == memory_pads.shape and torch.equal(tgt_pads, memory_pads)
    what = " (it equals tgt_key_padding_mask: the target's padding)" if same else ""
    lt = call.lengths[side][0]
    return [Suspect("ML503", f"{kpm}{what} leaves {int(visible.sum())} source position(s) that {padded_by} pads "
                    f"visible to the cross-attention (first: sample {n}); pass the source padding mask as {kpm}",
                    kpm, tests=[Leak(side, visible[:, None, :].expand(-1, lt, -1), "padded source")], side=side)]


def _cross_attention_padding(call: Call) -> List[Suspect]:
    """nn.MultiheadAttention whose keys are the output of an encoder call that masked source
    padding (a hand-built decoder layer's cross-attention)."""
    key = call.get("key")
    pads = _remembered_pads(key) if key is not call.query else None
    side = next(iter(call.lengths))
    if pads is None or call.n is None or pads.shape != (call.n, call.lengths[side][1]):
        return []
    return _memory_mask(call, pads.to(call.query.device),
                        "its keys are the output of an encoder call that masked source padding, but this "
                        "cross-attention gets no key_padding_mask: it attends to the padded source positions; "
                        "pass key_padding_mask=<the source padding mask>", "the encoder call that produced its keys",
                        kpm="key_padding_mask", side=side)


def _pads(call: Call, name: str) -> Optional[torch.Tensor]:
    """The (N, S) positions a key padding mask of the call blocks, or None (absent, or unreadable)."""
    mask = call.get(name)
    p = call.api.param(name)
    if mask is None or p is None:
        return None
    m4 = to4d(call, p, mask)
    if m4 is None or dtype_kind(mask) == "int":
        return None
    return ~keep_of(additive(call, p, m4))[:, 0, 0, :]


def _unmasked_memory(call: Call, pads: torch.Tensor, message: str, kpm: str = "memory_key_padding_mask",
                     side: str = "memory") -> List[Suspect]:
    """ML502: cross-attention given no memory padding mask; ``pads`` (N, S) are the padded source
    positions, which every target query must not see."""
    lt = call.lengths[side][0]
    return [Suspect("ML502", message, kpm,
                    tests=[Leak(side, pads[:, None, :].expand(-1, lt, -1), "padded source", _full(call, side))],
                    side=side)]


def check(call: Call, with_content: bool) -> List[Suspect]:
    out: List[Suspect] = []
    for p, m in call.masks():
        if isinstance(m, torch.Tensor):
            out.extend(facts(call, p, m))
    if with_content:
        out.extend(content(call))
    return out
