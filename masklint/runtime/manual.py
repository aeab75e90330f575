"""Hand-written attention at runtime: ``scores.masked_fill(mask, -1e9)``,
``torch.where(mask, scores, -1e9)`` or ``scores + mask`` (an additive mask) before a softmax.

There is no attention API to re-run here, so the checks read the one call that applies the mask:
a float tensor of rank 3 or more (the scores, keys on the last axis), a bool mask over those keys,
and a fill value of a large negative (``-inf``, ``-1e9``, ``finfo.min``).  Anything else
(``masked_fill(mask, 0.0)`` on router scores, a mask over the queries only, integer tensors) is
not attention masking and is left alone before any work is done.

The experiment is the softmax over the keys that hand-written attention applies next, on a copy
of the filled scores (out of place, no autograd): it shows the NaN rows that an all ``-inf`` row
gives, the uniform attention over every key that an all ``-1e9`` row gives, and where the
attention of each query really goes.  The user's tensors are never written.
"""
from __future__ import annotations

import math
from typing import List, Optional, Tuple

import torch

from masklint import conventions as C

from masklint.runtime import report
from masklint.runtime.findings import Finding, rule_name
from masklint.runtime.rows import padded_queries
from masklint.runtime.validators import MAX_CELLS, NEG_BLOCK, _inverted_right_padding, _square_structure

#: the out-of-place op, whatever the user called (``masked_fill_`` writes the scores)
_FILL = torch._C.TensorBase.masked_fill


def _fill_value(value) -> Optional[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, torch.Tensor) and value.dim() == 0 and value.is_floating_point() \
            and value.device.type == "cpu":
        return float(value)
    return None


def operands(api, args, kwargs) -> Optional[Tuple[torch.Tensor, torch.Tensor, float]]:
    """(scores, hidden, fill) when this call masks attention scores over their keys (hidden: bool,
    True = the key is hidden from the query): ``scores.masked_fill(mask, -inf)`` hides where True,
    ``torch.where(mask, scores, -inf)`` keeps where True.  Cheap (attributes only) for every call
    that does not, so every masked_fill and torch.where of the program can ask."""
    if api is C.MANUAL_ADD:
        return added(args, kwargs)
    if api is C.MANUAL_WHERE:
        cond = args[0] if args else kwargs.get("condition")
        scores = args[1] if len(args) > 1 else kwargs.get("input")
        value = args[2] if len(args) > 2 else kwargs.get("other")
    else:
        cond = args[1] if len(args) > 1 else kwargs.get("mask")
        scores = args[0] if args else kwargs.get("input")
        value = args[2] if len(args) > 2 else kwargs.get("value")
    if type(scores) is not torch.Tensor or type(cond) is not torch.Tensor:
        return None
    if not scores.is_floating_point() or scores.dim() < 3 or cond.dtype != torch.bool or cond.dim() < 2:
        return None
    fill = _fill_value(value)
    if fill is None and api is C.MANUAL_WHERE and type(value) is torch.Tensor and value.shape == scores.shape \
            and value.dtype == scores.dtype and not value.requires_grad:
        fill = 0.0  # `torch.where(adj > 0, e, zeros_like(e))`: read as a zero fill when it holds zeros (analyse)
    if fill is None or (fill > -NEG_BLOCK and fill != 0):
        return None  # a zero fill is looked at only where the linter reported it (analyse)
    keys = scores.shape[-1]
    if keys < 2 or cond.shape[-1] != keys or scores.is_nested or scores.is_meta:
        return None  # a mask over the queries only (keys broadcast): not which keys are seen
    return scores, (~cond if api is C.MANUAL_WHERE else cond), fill


def fill_first(args, kwargs) -> Optional[tuple]:
    """``torch.where(no_peek, -inf, scores)``: a masked_fill written as a where (the large negative
    where the mask is True), as ``masked_fill``'s arguments ``(scores, mask, fill)``; else None."""
    if kwargs or len(args) != 3:
        return None
    cond, fill, scores = args
    if type(scores) is not torch.Tensor or type(fill) is torch.Tensor and fill.dim() != 0:
        return None
    flipped = (scores, cond, fill)
    return flipped if operands(C.MANUAL_MASKED_FILL, flipped, {}) is not None else None


_tracing = getattr(torch._C, "_is_tracing", torch.jit.is_tracing)  # under torch.jit.trace, shapes are traced values: not even compared


def added(args, kwargs) -> Optional[Tuple[torch.Tensor, torch.Tensor, float]]:
    """``scores + mask``: float scores of rank 3 or more (2, for a bool mask: attention pooling's
    (N, S) logits plus a padding mask), and a float mask over their keys that
    needs no gradient (a mask is data; the other operand of a residual add is not) and is shaped
    unlike them, broadcast over the batch, the heads or the queries (a residual add is not a mask;
    a bias already expanded to the scores' full shape is left alone).  Attributes only: every
    add of the program asks; the mask's values are read by :func:`analyse`, on sampled calls."""
    if len(args) < 2:
        return None
    scores, mask = args[0], args[1]
    # the cheapest tests first: this runs for every add of the program
    if type(mask) is not torch.Tensor or type(scores) is not torch.Tensor or _tracing():
        return None
    if mask.dtype is not torch.bool and (mask.shape == scores.shape or scores.dim() < 3):
        # (same shape: a residual or feature add; a mask broadcasts over batch, heads or queries;
        # a bool tensor added to float scores is 0/1 whatever the shapes)
        return None
    if mask.requires_grad or scores.dim() < 2 or mask.dim() < 2 or kwargs.get("alpha", 1) != 1:
        return None
    if not scores.is_floating_point() or mask.is_complex():
        return None  # (an int or bool mask is promoted and added: read in analyse)
    keys = scores.shape[-1]
    if keys < 2 or mask.shape[-1] != keys or not mask.numel() or scores.is_nested or scores.is_meta \
            or mask.layout is not torch.strided or scores.layout is not torch.strided:
        return None
    return scores, mask, float("nan")  # the fill: the mask's lowest value, read in analyse


def analyse(api, site, args, kwargs, content: bool, reported) -> List[Finding]:
    """Findings at a hand-written attention call site (``reported(site, code, param)`` dedups)."""
    ops = operands(api, args, kwargs) if content else None
    if ops is None:
        return []
    scores, mask, fill = ops  # mask: True = hidden (an additive mask: the values added)
    if scores.numel() > MAX_CELLS or mask.numel() > MAX_CELLS:
        return []
    if fill == 0:
        return _zero_filled(api, site, args, kwargs, scores, mask, reported)
    if api is C.MANUAL_ADD and not mask.is_floating_point():
        # a bool or int tensor added: to (N, H, L, S) scores, or where the linter reported the add
        # (a one-hot code added to (N, T, E) features is not a mask)
        if scores.dim() < 4 and not _linter_reported(site, ("ML202", "ML203", "ML101")):
            return []
        return _binary_added(site, scores, mask, reported) or []
    if api is C.MANUAL_ADD and _linter_reported(site, "ML202"):
        found = _binary_added(site, scores, mask, reported)
        if found is not None:
            return found
    try:
        with torch.no_grad():
            if api is C.MANUAL_ADD:
                fill = float(mask.detach().amin())
                if fill > -NEG_BLOCK:
                    return []  # no large negative: a bias or an embedding added, not a mask
                masked = (scores.detach() + mask).float()
                blocked = torch.broadcast_to(mask, scores.shape) <= -NEG_BLOCK  # 0 (or a small bias) keeps
            else:
                blocked = torch.broadcast_to(mask, scores.shape)
                masked = _FILL(scores.detach(), mask, fill).float()
    except RuntimeError:
        return []  # the call itself raises on these shapes
    lq, lk = scores.shape[-2:]
    blocked = blocked.reshape(scores.shape[0], -1, lq, lk)  # (N, H|1, Lq, Lk)
    if bool((blocked == blocked[..., :1]).all()):
        return []  # whole rows hidden or kept, never some keys of a row: a row mask (masked pooling), not attention
    keep = ~blocked
    weights = masked.softmax(-1).reshape(blocked.shape)
    how = _How(api)
    ahead = _ahead(site, keep, weights, reported, how) or _future_seen(site, keep, weights, reported, how)
    if ahead:
        return ahead
    for suspect in (_inverted_padding, _square, _dead):
        found = suspect(keep, weights, fill, how)
        if found is None:
            continue
        code, message, evidence, confirmed = found
        if reported(site, code, "mask"):
            return []
        return [Finding(code, rule_name(code), message, site.path, site.line, confirmed, "\n".join(evidence),
                        api.display, "mask")]
    return []


def _linter_reported(site, codes, words: str = "") -> bool:
    """Did the static linter report ``codes`` (a code, or a tuple of them) at this call, its
    message containing ``words``?"""
    from masklint.runtime import callsite

    codes = (codes,) if isinstance(codes, str) else codes
    return any(d.code in codes and words in d.message for d in callsite.static_at(site))


def _ahead(site, keep, weights, reported, how) -> List[Finding]:
    """A causal mask shifted k keys into the future (``tril(ones, diagonal=k)``), at a call where
    the linter found it in an autoregressive model (ML401).  Without that, a one-frame lookahead
    is what streaming encoders mean, so the runtime does not judge it alone."""
    lq, lk = keep.shape[-2:]
    if lq != lk or lq < 2 or not _linter_reported(site, "ML401", "shifted"):
        return []
    kept = keep[0, 0].nonzero()
    k = int((kept[:, 1] - kept[:, 0]).max()) if len(kept) else 0  # how far past the diagonal it reaches
    if k < 1 or not bool((keep == torch.ones(lq, lk, dtype=torch.bool, device=keep.device).tril(k)).all()):
        return []
    seen, _ = _future_weight(keep, weights)
    if seen <= 0 or reported(site, "ML401", "mask"):
        return []
    return _future_finding(site, f"each query sees the next {k} key(s): the causal mask is tril(diagonal={k})",
                           seen, keep[0, 0], f"mask as {how.name} reads it", how)


def _future_seen(site, keep, weights, reported, how) -> List[Finding]:
    """A self-attention the linter found should be causal (ML401: no causal part, or one lost by
    the wrong operator): the softmax shows the weight queries give to keys after them."""
    lq, lk = keep.shape[-2:]
    if lq != lk or lq < 2 or not _linter_reported(site, "ML401"):
        return []
    seen, future = _future_weight(keep, weights)
    if not seen > 1e-6 or reported(site, "ML401", "mask"):
        return []
    later = keep[..., future].reshape(keep.shape[0], -1).any(-1)
    n = int(later.nonzero()[0, 0]) if bool(later.any()) else 0
    return _future_finding(site, "queries attend to keys after them: the mask has no causal part",
                           seen, keep[n, 0], f"mask as {how.name} reads it, sample {n}", how)


def _future_weight(keep, weights) -> Tuple[float, torch.Tensor]:
    """The most attention any query gives to keys after it, and those (query, key) cells."""
    lq, lk = keep.shape[-2:]
    future = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).triu(1)
    return float(weights[..., future].max()), future


def _future_finding(site, message: str, seen: float, shown, label: str, how) -> List[Finding]:
    return [Finding("ML401", rule_name("ML401"), message, site.path, site.line, True,
                    f"softmax over the keys: up to {seen:.3g} of a query's attention goes to keys after it\n"
                    + report.picture(shown, label), how.name, "mask")]


def _zero_filled(api, site, args, kwargs, scores, hidden, reported) -> List[Finding]:
    """Scores set to 0 where they should be hidden, at a call the linter reported (ML202): the
    softmax that follows still gives the hidden keys weight exp(0).  Most zero fills are not
    attention masking (router scores, features), so nothing else is read from them."""
    if not _linter_reported(site, "ML202"):
        return []
    if api is C.MANUAL_WHERE:
        other = args[2] if len(args) > 2 else kwargs.get("other")
        if isinstance(other, torch.Tensor) and not bool((other == 0).all()):
            return []
    try:
        with torch.no_grad():
            shape = torch.broadcast_shapes(scores.shape, hidden.shape)  # where / masked_fill broadcast both ways
            hidden = torch.broadcast_to(hidden, shape)
            weights = torch.broadcast_to(scores.detach(), shape).masked_fill(hidden, 0.0).float().softmax(-1)
            leaked = _leaked(weights, hidden)
    except RuntimeError:
        return []  # the call itself raises on these shapes
    if not bool((leaked > 1e-6).any()) or reported(site, "ML202", "mask"):
        return []
    worst = float(leaked.max())
    return [Finding("ML202", rule_name("ML202"),
                    "scores filled with 0 where the mask hides them: the softmax still gives those keys weight",
                    site.path, site.line, True,
                    f"softmax over the keys after the fill: up to {worst:.3g} of a query's attention goes to the "
                    f"keys the mask hides (a score of 0 weighs exp(0) = 1)", api.display, "mask")]


def _leaked(weights: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
    """The attention each query still gives the keys ``hidden`` marks, in the rows with a key
    left (a row hidden whole is another finding)."""
    live = ~hidden.all(-1, keepdim=True)
    return weights.masked_fill(~(hidden & live), 0.0).sum(-1)


def _binary_added(site, scores, mask, reported) -> Optional[List[Finding]]:
    """A 0/1 mask added to the scores: bool or integer (torch promotes it, so True or 1 adds 1 and
    False or 0 adds 0), or a float one where the linter reported it (ML202): it hides nothing.
    The experiment is the softmax of ``scores + mask`` on a copy: the weight that the keys where
    the mask is 0 still get.  None when the mask is not 0/1 over some keys of a row."""
    try:
        with torch.no_grad():
            values = mask.detach().to(torch.int8) if mask.dtype == torch.bool else mask.detach()
            if not (float(values.amin()) == 0 and float(values.amax()) == 1
                    and bool(((values == 0) | (values == 1)).all())):
                return None
            if scores.dim() < 4 and not bool((values.sum(-1) >= 2).any()):
                return None  # (N, T, E) with one 1 per row at most: a one-hot code added to features
            shape = torch.broadcast_shapes(scores.shape, mask.shape)
            zero = torch.broadcast_to(values == 0, shape)
            if bool((zero == zero[..., :1]).all()):
                return None  # whole rows, never some keys of a row: not a mask over the keys
            weights = (torch.broadcast_to(scores.detach(), shape) + values).float().softmax(-1)
            leaked = _leaked(weights, zero)
    except RuntimeError:
        return None  # the add itself raises on these shapes
    if not bool((leaked > 1e-6).any()):
        return None
    kind = ("bool", "True adds 1 and False adds 0") if mask.dtype == torch.bool else \
        ("integer 0/1", "1 adds 1 and 0 adds 0") if not mask.is_floating_point() else ("0/1 float", "1 adds 1 and 0 adds 0")
    code = "ML203" if not mask.is_floating_point() and mask.dtype != torch.bool else "ML202"
    if reported(site, code, "mask"):
        return []
    return [Finding(code, rule_name(code), f"{kind[0]} mask added to the scores ({kind[1]}): it hides no key",
                    site.path, site.line, True,
                    f"softmax of scores + mask: up to {float(leaked.max()):.3g} of a query's attention goes to the "
                    f"keys where the mask is 0, which a keep mask means to hide; an additive mask needs 0 to keep "
                    f"and a large negative to hide", "scores + mask", "mask")]


def _dead_effect(fill: float) -> str:
    if math.isinf(fill):
        return "the softmax of a row of -inf is NaN"
    shown = "finfo.min" if fill <= -1e38 else f"{fill:g}"
    return f"a row of {shown} is a uniform softmax: those queries attend to every key equally"


def _dead_evidence(weights: torch.Tensor, dead: torch.Tensor) -> Tuple[str, bool]:
    """What the softmax does with the rows that have no key (dead: (N, H, Lq))."""
    n, h, i = dead.nonzero()[0].tolist()
    row = weights[n, h, i]
    if bool(torch.isnan(row).any()):
        return f"softmax over the keys: sample {n}, query {i} is NaN ({int(dead.sum())} such row(s))", True
    return (f"softmax over the keys: sample {n}, query {i} gives every one of its {row.numel()} keys weight "
            f"{float(row.max()):.3g}, the keys the mask hides included", True)


class _How:
    """How the call reads its mask, in the words of the messages."""

    def __init__(self, api):
        where = api is C.MANUAL_WHERE
        self.name = "torch.where" if where else "masked_fill"
        self.reads = "keeps where True" if where else "hides where True"
        self.code = "ML102" if where else "ML101"  # the conventions: where keeps, masked_fill blocks
        self.pad_fix = "use ~mask (or mask == 0)" if where else "use mask == 0"
        self.looks = "a padding mask (True = pad)" if where else "an attention_mask (1 = real token)"
        self.causal = "a block mask (triu(1))" if where else "a keep mask (tril)"
        if api is C.MANUAL_ADD:
            self.name, self.reads, self.code = "scores + mask", "hides where the mask is a large negative", "ML103"
            self.pad_fix = "use (1 - attention_mask) * finfo.min"
            self.looks = "attention_mask * finfo.min without the `1 -`"
            self.causal = "a keep mask (tril) times a large negative"


def _inverted_padding(keep, weights, fill, how):
    """A keep mask (True at real tokens) used as masked_fill's True = hidden, on right-padded data:
    samples without padding have every key hidden, the others attend only to their padding."""
    if keep.shape[0] < 2 or not bool((keep == keep[:, :, :1, :]).all()):
        return None  # not the same keys for every query: not a padding mask
    per_sample = keep[:, :, 0, :].any(1)  # (N, Lk)
    dead = ~per_sample.any(-1)
    if not dead.any() or dead.all():
        return None
    live = per_sample[~dead]
    if not _inverted_right_padding(live) or bool(live.all(-1).any()):
        return None  # each padded sample must keep only a run at the end of its keys
    samples = dead.nonzero().flatten().tolist()
    first = int((~dead).nonzero()[0])
    kept = per_sample[first].nonzero().flatten().tolist()
    mass = float(weights[first, :, :, per_sample[first]].sum(-1).min())
    evidence = [f"softmax over the keys: sample {first} puts {mass:.3g} of every query's attention on keys "
                f"{kept[0]}..{kept[-1]}, the end of the sequence (its padding, if right-padded)",
                _dead_evidence(weights, ~keep.any(-1))[0],
                report.picture(per_sample, "keys kept per sample (rows: samples)")]
    return (how.code, f"mask hides the real tokens: sample(s) {samples[:8]} (no padding) have every key hidden "
            f"({_dead_effect(fill)}) and the others attend only to the end of their sequence; {how.name} "
            f"{how.reads}, and this looks like {how.looks}: {how.pad_fix}", evidence, True)


def _square(keep, weights, fill, how):
    """Causal masks written the wrong way round, or hiding the diagonal (one sequence: Lq == Lk)."""
    lq, lk = keep.shape[-2:]
    if lq != lk or lq < 2:
        return None
    all_future, diag_blocked, _ = _square_structure(keep)
    future = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).triu(1)
    past = torch.ones(lq, lk, dtype=torch.bool, device=keep.device).tril(-1)
    picture = report.picture(keep[0, 0], f"mask as {how.name} reads it")
    if all_future and diag_blocked > 0.5 and not bool(keep[..., past].any()):
        seen = float(weights[..., future].sum() / max(1, weights.shape[0] * weights.shape[1] * (lq - 1)))
        return (how.code, "mask hides each query's own key and the past and leaves the future visible: "
                f"{how.causal} given to {how.name}, which {how.reads}; invert it (~mask)",
                [f"softmax over the keys: the queries put on average {seen:.3g} of their attention on later "
                 "keys", picture], True)
    if not keep[..., future].any() and bool((~keep.diagonal(dim1=-2, dim2=-1)).all()) \
            and bool(keep[..., past].any()):
        dead = ~keep.any(-1)
        line, _ = _dead_evidence(weights, dead)
        return ("ML404", f"mask is causal but also hides the diagonal: query 0 has no key ({_dead_effect(fill)}); "
                "build the mask with triu(..., diagonal=1)", [line, picture], True)
    return None


def _dead(keep, weights, fill, how):
    """Queries left with no key at all.  With a finite fill, rows of padded queries (whose own
    position every query of the sample hides) are left alone: their outputs are uniform and
    usually unused.  With -inf they are NaN, which reaches the loss through any later product."""
    dead = ~keep.any(-1)  # (N, H, Lq)
    if not dead.any():
        return None
    if not math.isinf(fill):
        lq, lk = keep.shape[-2:]
        if lq == lk:
            dead = dead & ~padded_queries(keep, dead)
        if not dead.any():
            return None
    line, confirmed = _dead_evidence(weights, dead)
    n = int(dead.nonzero()[0][0])
    return ("ML601", f"{int(dead.sum())} query row(s) have every key hidden by this {how.name} ({_dead_effect(fill)})",
            [line, report.picture(keep[n, 0], f"mask of sample {n} as {how.name} reads it")], confirmed)


def static(api, site, runtime: List[Finding], reported) -> List[Finding]:
    """The linter's findings at this call: confirmed when a runtime finding of the same
    code (or one its rule accepts) was confirmed here; otherwise shown as not confirmed."""
    from masklint.rules import get_rule
    from masklint.runtime import callsite

    out: List[Finding] = []
    for d in callsite.static_at(site):
        rule = get_rule(d.code)
        related = (d.code,) + (rule.also_confirmed_by if rule is not None else ())
        match = next((f for f in runtime if f.code in related and f.confirmed), None)
        if match is not None and match.code == d.code:
            match.source = "static+runtime"
            match.evidence = f"the linter reported it too: {d.message}\n{match.evidence}"
            reported(site, d.code, "static")
            continue
        if reported(site, d.code, "static"):
            continue
        evidence = (f"confirmed at runtime by {match.code}:\n{match.evidence}" if match is not None else
                    "the checks of hand-written attention did not reproduce it on these inputs")
        out.append(Finding(d.code, d.name, d.message, site.path, site.line, match is not None, evidence,
                           api.display, "", source="static"))
    return out
