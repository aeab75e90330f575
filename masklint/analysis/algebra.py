"""Mask algebra: abstract mask values in, abstract mask values out.

Conversions (``.bool()``, ``.float()``), inversion, ``tril`` / ``triu``, ``masked_fill``,
``where`` and the logical / additive combination of two masks.  Each function appends a step to
the mask's evidence chain through the :class:`~masklint.analysis.ctx.Ctx` it is given.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Optional

from masklint import conventions as C
from masklint.analysis import names
from masklint.analysis.ctx import Ctx
from masklint.analysis.values import (
    AV,
    COMPLEMENT,
    UNKNOWN,
    Cell,
    Const,
    Dt,
    DType,
    Mask,
    Qual,
    Region,
    Tensor,
    Unknown,
    bool_cell,
    cell_truth,
    num_cell,
    tril_region,
    triu_region,
)

NEG_INF = float("-inf")
FINFO_MIN = -3.4028234663852886e38

DTYPES = {
    "bool": Dt.BOOL,
    "float": Dt.FLOAT, "float32": Dt.FLOAT, "float16": Dt.FLOAT, "half": Dt.FLOAT, "bfloat16": Dt.FLOAT,
    "float64": Dt.FLOAT, "double": Dt.FLOAT,
    "int": Dt.INT, "int32": Dt.INT, "int64": Dt.INT, "long": Dt.INT, "uint8": Dt.INT, "int8": Dt.INT,
    "int16": Dt.INT, "short": Dt.INT,
    # legacy tensor types: `.type(torch.ByteTensor)`, `.type(torch.cuda.FloatTensor)`
    "BoolTensor": Dt.BOOL, "ByteTensor": Dt.INT, "CharTensor": Dt.INT, "ShortTensor": Dt.INT, "IntTensor": Dt.INT,
    "LongTensor": Dt.INT, "FloatTensor": Dt.FLOAT, "DoubleTensor": Dt.FLOAT, "HalfTensor": Dt.FLOAT,
    "BFloat16Tensor": Dt.FLOAT,
    # NumPy's own spellings: `np.ones((n, n), dtype=np.bool_)`
    "bool_": Dt.BOOL, "bool8": Dt.BOOL, "float_": Dt.FLOAT, "single": Dt.FLOAT, "int_": Dt.INT, "intp": Dt.INT,
    "longlong": Dt.INT, "ubyte": Dt.INT, "byte": Dt.INT,
}
#: ``mask.bool()``-style conversion methods
CONVERT_METHODS = {
    "bool": Dt.BOOL, "float": Dt.FLOAT, "half": Dt.FLOAT, "double": Dt.FLOAT, "bfloat16": Dt.FLOAT,
    "int": Dt.INT, "long": Dt.INT, "byte": Dt.INT, "short": Dt.INT, "char": Dt.INT,
}
_DTYPE_NAMESPACES = ("torch.", "tensorflow.", "tf.", "numpy.", "builtins.", "paddle.")


def const_cell(v: AV) -> Optional[Cell]:
    """The cell a constant writes: True/False, 0, 1, a large negative (-inf, -1e9), other."""
    if not isinstance(v, Const):
        return None
    x = v.value
    if x is True:
        return Cell.TRUE
    if x is False:
        return Cell.FALSE
    if isinstance(x, (int, float)):
        if x == 0:
            return Cell.ZERO
        if x == 1:
            return Cell.ONE
        if x <= -100 or (isinstance(x, float) and math.isinf(x) and x < 0):
            return Cell.NEG  # -100 is Swin's: exp(-100) is 4e-44 of a weight, a masked one
        return Cell.OTHER
    return None


def _at_dtype_min(c) -> bool:
    """torch.finfo(...).min, or the float16 minimum written out (-65504): two of them summed
    overflow (the literal only in half precision: the rule asks)."""
    return c.finfo_min or (isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                           and c.value <= -C.FP16_MAX)


def finite_negative(v: AV) -> bool:
    """A large negative that is not -inf (-1e9, finfo.min): overflows in half precision."""
    return isinstance(v, Const) and v.is_neg_large() and not math.isinf(v.value)


def dtype_of(v: AV) -> Optional[Dt]:
    if isinstance(v, DType):
        return v.dt
    if isinstance(v, Qual):
        tail = v.name.rsplit(".", 1)[-1]
        if v.name.startswith(_DTYPE_NAMESPACES) and tail in DTYPES:
            return DTYPES[tail]
    if isinstance(v, Const) and isinstance(v.value, str) and v.value in DTYPES:  # `dtype="bool"`, `.astype("uint8")`
        return DTYPES[v.value]
    return None


def as_int(v: AV) -> Optional[int]:
    return v.value if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool) else None


# --------------------------------------------------------------------------- conversions
def _clamped_later(ctx: Ctx) -> bool:
    """Does the function clamp a value back from below (``mask = mask.clamp(min=min_val)`` on a
    later line)?  Then the sum it builds is brought back into range before use."""
    fn = ctx.frame.fn
    return fn is not None and bool(names.CLAMP_BELOW.search(ctx.frame.module.text_of(fn.node)))


def convert(ctx: Ctx, m: Mask, dt: Dt, text: str) -> AV:
    if dt is m.dtype:
        if m.assumed and dt is Dt.BOOL and not names.trusted_guess(m):
            # `key_padding_mask.bool()`: the code does not hold it bool, so the name's guess (bool,
            # True = padding) is in doubt; a bool mask whose polarity the code has not shown
            return ctx.step(m, text, region=Region.UNKNOWN)
        return m
    if dt is Dt.BOOL:
        ti, to = cell_truth(m.inside), cell_truth(m.outside)
        return ctx.step(m, text, dtype=Dt.BOOL, inside=bool_cell(ti), outside=bool_cell(to), assumed=m.assumed)
    inside, outside = num_cell(m.inside), num_cell(m.outside)
    if dt is Dt.INT and Cell.NEG in (inside, outside):
        inside = Cell.OTHER if inside is Cell.NEG else inside
        outside = Cell.OTHER if outside is Cell.NEG else outside
    return ctx.step(m, text, dtype=dt, inside=inside, outside=outside)


def not_cell(c: Cell) -> Cell:
    return {Cell.TRUE: Cell.FALSE, Cell.FALSE: Cell.TRUE}.get(c, Cell.OTHER)


def invert(ctx: Ctx, m: Mask, text: str, logical: bool = False) -> AV:
    """``~m`` (bitwise: bool masks only) or ``logical_not(m)`` (any dtype, gives bool)."""
    if m.dtype is Dt.BOOL:
        return ctx.step(m, text, inside=not_cell(m.inside), outside=not_cell(m.outside))
    if logical:
        ti, to = cell_truth(m.inside), cell_truth(m.outside)
        return ctx.step(m, text, dtype=Dt.BOOL, inside=bool_cell(None if ti is None else not ti),
                        outside=bool_cell(None if to is None else not to))
    return UNKNOWN  # ~ on an int / float tensor is a bitwise not: structure lost


# --------------------------------------------------------------------------- structure
def tri(ctx: Ctx, x: AV, which: str, diag: AV, label: Optional[str] = None) -> AV:
    """``tril`` / ``triu`` of a constant mask."""
    k = diag.value if isinstance(diag, Const) and isinstance(diag.value, int) else (0 if diag is None else None)
    if isinstance(x, Mask) and x.is_causal_shaped() and x.outside in (Cell.ZERO, Cell.FALSE) and \
            x.inside not in (Cell.ZERO, Cell.FALSE):
        # `ones.tril().triu(-(w - 1))`: a causal band; the values stay the triangle's and zero
        text = label or f"torch.{which}(..., diagonal=...) of a triangle"
        return ctx.step(x, text, region=Region.KEEP_MIX, inside=x.inside, outside=x.outside, causal_source=True)
    if not isinstance(x, Mask) or x.region is not Region.ALL:
        return UNKNOWN  # tril of something that is not a constant mask: structure unknown
    region = (tril_region(k) if which == "tril" else triu_region(k)) if k is not None else Region.UNKNOWN
    zero = Cell.FALSE if x.dtype is Dt.BOOL else Cell.ZERO
    if region is Region.UNKNOWN:
        # a band or an offset from a cache length (diagonal=1 + past): where is not modelled, but the
        # values are still the constant's and zero; a constant offset into the future is remembered
        ahead = (k if which == "tril" else k - 1) if isinstance(k, int) and (k > 0 if which == "tril" else k > 1) \
            else 0
        shown = f"torch.{which}(..., diagonal={k})" if ahead else f"torch.{which}(..., diagonal=...)"
        return ctx.step(x, label or shown, region=Region.UNKNOWN, inside=x.inside,
                        outside=zero, dim0=x.dim0 or "L", ahead=ahead)
    text = label or (f"torch.{which}" + (f"(diagonal={k})" if k else ""))
    return ctx.step(x, text, region=region, inside=x.inside, outside=zero, dim0=x.dim0 or "L")


def fill_cell(m: Mask, fill: AV) -> Optional[Cell]:
    """The cell ``fill`` becomes when written into ``m`` (its dtype decides)."""
    c = const_cell(fill)
    if c is None:
        return None
    if m.dtype is Dt.BOOL:
        return bool_cell(cell_truth(c))
    if m.dtype is Dt.INT and c is Cell.NEG:
        return Cell.OTHER
    return c


def masked_fill(ctx: Ctx, m: Mask, cond: AV, fill: AV, fill_node, cond_node=None) -> AV:
    """``m.masked_fill(cond, fill)``: ``fill`` where ``cond`` is True."""
    c = fill_cell(m, fill)
    if c is None:
        return UNKNOWN
    if not isinstance(cond, Mask):
        if isinstance(cond, (Tensor, Unknown)) and _widens(m, c):
            return _widened(ctx, m, fill, fill_node, cond_node)  # a bool mask we cannot read
        if isinstance(cond, (Tensor, Unknown)) and m.region is Region.ALL and m.inside is Cell.ZERO and \
                m.dtype is Dt.FLOAT and c is Cell.NEG and not (isinstance(cond, Tensor) and (cond.scores or cond.probs)):
            # `zeros(...).masked_fill_(cloudy, -1e9)`: an additive mask, where a mask we cannot read says
            negs = m.neg_consts + (((fill, fill_node),) if finite_negative(fill) else ())
            ctx.constant("fill", fill, fill_node)
            return ctx.step(m, f".masked_fill({ctx.code(cond_node) or 'mask'}, {ctx.code(fill_node)})",
                            region=Region.UNKNOWN, inside=Cell.NEG, outside=Cell.ZERO, neg_consts=negs)
        return UNKNOWN
    if cond.assumed and cond.dtype is Dt.INT:
        return UNKNOWN  # a Hugging Face-named mask used as a bool condition as is: not the int (N, S) mask
    if cond.assumed and cond.region in (Region.PAD, Region.REAL) and (m.region is Region.ALL or m.inside == m.outside) \
            and not any("Hugging Face" in e.text for e in cond.evidence[:1]):
        # `full(-1e4).masked_fill_(key_padding_mask, 0.0)`: the code writes "attend" where the mask is
        # True, so it takes the mask for a keep mask whatever its name says (and the reverse); a
        # tokenizer's `attention_mask` (1 = real) is a convention strong enough to stand
        want = Region.REAL if c is Cell.ZERO and m.inside is Cell.NEG else \
            Region.PAD if c is Cell.NEG and m.inside is Cell.ZERO else None
        if want is not None and cond.true_set() is not want:
            cond = replace(cond, region=want if cond.region is cond.true_set() else COMPLEMENT[want])
    ts = cond.true_set()
    if ts is Region.UNKNOWN and cond.region is m.region and cond.evidence[: len(m.evidence)] == m.evidence:
        # `m.masked_fill(m.to(torch.bool), v)`: v wherever m is nonzero, wherever that is
        negs = m.neg_consts + (((fill, fill_node),) if finite_negative(fill) else ())
        ctx.constant("fill", fill, fill_node)
        ti, to = cell_truth(cond.inside), cell_truth(cond.outside)
        return ctx.step(m, f".masked_fill({ctx.code(cond_node) or 'mask'}, {ctx.code(fill_node)})",
                        inside=c if ti else m.inside, outside=c if to else m.outside, neg_consts=negs)
    if ts is Region.NONE:
        return m  # filled where an all-False mask is True: nowhere
    if ts is Region.UNKNOWN:
        return _widened(ctx, m, fill, fill_node, cond_node) if _widens(m, c) else UNKNOWN
    negs = m.neg_consts + (((fill, fill_node),) if finite_negative(fill) else ())
    ctx.constant("fill", fill, fill_node)
    text = f".masked_fill({ctx.code(cond_node) or 'mask'}, {ctx.code(fill_node)})"
    if m.region is Region.ALL or m.inside == m.outside:
        # a constant filled where `cond` is True: cond's structure (a causal part, left padding) in m's values
        return ctx.step(m, text, region=ts, inside=c, outside=m.inside, neg_consts=negs,
                        sized=m.sized or cond.sized, rank=m.rank or cond.rank, ref=m.ref or cond.ref,
                        causal_source=m.causal_source or cond.is_causal_shaped(), left=cond.left)
    if ts is Region.ALL:
        return ctx.step(m, text, region=Region.ALL, inside=c, outside=c, neg_consts=negs)
    if ts is m.region:
        return ctx.step(m, text, inside=c, neg_consts=negs)
    if ts is COMPLEMENT[m.region]:
        return ctx.step(m, text, outside=c, neg_consts=negs)
    # a second structure written over the first: causal -inf filled again at the padding (a union
    # of blocked sets), or a causal keep mask cleared at the padding (an intersection of keep sets)
    if (c is m.inside and m.region in BLOCKISH and ts in BLOCKISH) or \
            (c is m.outside and m.region in KEEPISH and ts in BLOCKISH):
        mixed = Region.BLOCK_MIX if m.region in BLOCKISH else Region.KEEP_MIX
        return ctx.step(m, text, region=mixed, neg_consts=negs, causal_source=m.is_causal_shaped() or cond.is_causal_shaped())
    return UNKNOWN


def _widens(m: Mask, c: Cell) -> bool:
    """Does writing ``c`` only add to what ``m`` hides (its hidden value into a block mask, its
    cleared value into a keep mask)?"""
    return (c is m.inside and m.region in BLOCKISH) or (c is m.outside and m.region in KEEPISH)


def _widened(ctx: Ctx, m: Mask, fill, fill_node, cond_node) -> Mask:
    """``m`` filled where a mask we cannot read is True, with what widens it: a causal bias filled
    again at the padding (a union of hidden sets), a causal keep mask cleared there.  It still
    hides what it hid, and maybe more: its polarity holds, its region is mixed."""
    negs = m.neg_consts + (((fill, fill_node),) if finite_negative(fill) else ())
    ctx.constant("fill", fill, fill_node)
    text = f".masked_fill({ctx.code(cond_node) or 'mask'}, {ctx.code(fill_node)})"
    mixed = Region.BLOCK_MIX if m.region in BLOCKISH else Region.KEEP_MIX
    return ctx.step(m, text, region=mixed, neg_consts=negs, causal_source=m.is_causal_shaped())


def select(ctx: Ctx, cond: Mask, a: AV, b: AV, a_node, b_node, text: str = "torch.where") -> AV:
    """``where(cond, a, b)`` with constant ``a`` and ``b``: a new mask with cond's structure."""
    ca, cb = const_cell(a), const_cell(b)
    if ca is None or cb is None:
        return UNKNOWN
    negs = tuple((v, n) for v, n in ((a, a_node), (b, b_node)) if finite_negative(v))
    ts = cond.true_set()
    if ts is Region.UNKNOWN:
        return UNKNOWN
    dt = Dt.BOOL if ca in (Cell.TRUE, Cell.FALSE) else Dt.FLOAT
    return ctx.step(cond, text, dtype=dt, region=ts, inside=ca, outside=cb, neg_consts=cond.neg_consts + negs)


# --------------------------------------------------------------------------- two masks
KEEPISH = (Region.LOWER, Region.REAL, Region.SUB, Region.NEAR, Region.KEEP_MIX, Region.SAME)
BLOCKISH = (Region.SUPER, Region.PAD, Region.UPPER, Region.FAR, Region.BLOCK_MIX, Region.OTHER)


def combine(ctx: Ctx, op: str, a: Mask, b: Mask) -> AV:
    """Two masks combined by ``op``: "and", "or" (bool masks), "add" (additive masks)."""
    if op in ("and", "or") and a.dtype is Dt.BOOL and b.dtype is Dt.BOOL:
        return _logical(ctx, op, a, b)
    if op in ("and", "or") and {a.dtype, b.dtype} == {Dt.BOOL, Dt.INT} and zero_one(a) and zero_one(b) \
            and not (a.assumed or b.assumed):
        # `causal & attention_mask[:, None, None, :]`: bool & int64 is an int64 tensor (torch
        # promotes), 1 where both are, the tokenizer's mask left unconverted (an int mask the code
        # built or was handed, not a name's guess: `& causal` says a parameter is bool already)
        both = _as_logical(ctx, op, a, b, Dt.INT)
        return both if both is not None else UNKNOWN
    if op == "mul" and zero_one(a) and zero_one(b) and Dt.UNKNOWN not in (a.dtype, b.dtype):
        # causal[None, None] * padding[:, None, None, :]: 1 where both are 1, a logical and
        dt = Dt.FLOAT if Dt.FLOAT in (a.dtype, b.dtype) else Dt.INT if Dt.INT in (a.dtype, b.dtype) else Dt.BOOL
        both = _as_logical(ctx, "and", a, b, dt)
        return both if both is not None else UNKNOWN
    if op == "add" and zero_one(a) and zero_one(b) and Dt.UNKNOWN not in (a.dtype, b.dtype):
        # `adj + torch.eye(n)`, `(1 - tril(ones)) + padding`: 0/1 masks summed, nonzero where either
        # is 1 (a union, read as bool or clamped to 1); with one of unknown structure it reads like
        # the other, as `|` does
        dt = Dt.FLOAT if Dt.FLOAT in (a.dtype, b.dtype) else Dt.INT
        either = _as_logical(ctx, "or", a, b, dt)
        if either is not None:
            return either
        if Region.UNKNOWN in (a.true_set(), b.true_set()):
            return ctx.step(a, "+", region=Region.UNKNOWN, dtype=dt, inside=Cell.OTHER, outside=Cell.ZERO)
        return UNKNOWN
    if op == "add" and (a.is_binary_float() and b.is_additive() or b.is_binary_float() and a.is_additive()):
        return _binary_plus_additive(ctx, *((a, b) if a.is_binary_float() else (b, a)))
    if op in ("add", "union") and a.dtype is Dt.FLOAT and b.dtype is Dt.FLOAT and a.is_additive() and \
            b.is_additive():
        # "union": torch.minimum(a, b) hides what either hides, without the sum's overflow
        na, nb = a.neg_set(), b.neg_set()
        if op == "add" and a.neg_consts and b.neg_consts and any(_at_dtype_min(c) for c, _ in a.neg_consts + b.neg_consts) \
                and id(ctx.node) not in ctx.interp.clamped and Region.NONE not in (na, nb) \
                and not _clamped_later(ctx):
            ctx.constant("sum", a.neg_consts[0][0], ctx.node)
        if na is Region.NONE:
            return b
        if nb is Region.NONE or na is nb:
            return a
        if na in BLOCKISH and nb in BLOCKISH:
            return _combo(ctx, a, b, "+" if op == "add" else "minimum", "block", additive=True)
        if Region.REAL in (na, nb) and (na in BLOCKISH or nb in BLOCKISH):
            # an inverted padding bias (-inf on the real tokens) plus a causal one: the sum still
            # hides the real tokens, whatever else it hides
            return _combo(ctx, a, b, "+" if op == "add" else "minimum", "keep", additive=True)
        return UNKNOWN
    return UNKNOWN


#: the evidence step of a 0/1 float mask summed with an additive one
ADDED_TO_ADDITIVE = "summed with an additive mask: its 0/1 part adds 1 or 0"


def _binary_plus_additive(ctx: Ctx, binary: Mask, additive: Mask) -> AV:
    """``causal_bias + attention_mask[:, None, None, :].float()``: the additive part still hides
    what it hid, the 0/1 part adds 1 or 0 to the scores and hides nothing.  The sum reads as a 0/1
    float mask of the combined positions (ML202), still causal when the additive part was."""
    ts = binary.true_set()
    if ts not in KEEPISH + BLOCKISH or additive.neg_set() in (Region.UNKNOWN, Region.ALL):
        return UNKNOWN
    mixed = _combo(ctx, additive, binary, "+", "keep" if ts in KEEPISH else "block", additive=True)
    return ctx.step(binary, ADDED_TO_ADDITIVE, region=mixed.region, dtype=Dt.FLOAT, inside=Cell.ONE,
                    outside=Cell.ZERO, rank=mixed.rank, dim0=mixed.dim0, key_axis=mixed.key_axis,
                    causal_source=mixed.causal_source, neg_consts=mixed.neg_consts, left=mixed.left)


def _as_logical(ctx: Ctx, op: str, a: Mask, b: Mask, dt: Dt) -> Optional[Mask]:
    """``op`` ("and" / "or") of two 0/1 masks read as bool, as a mask of ``dt`` (1 where True;
    as it is for bool); None when the combination has no known structure."""
    both = _logical(ctx, op, _as_bool(a), _as_bool(b))
    if not isinstance(both, Mask):
        return None
    return both if dt is Dt.BOOL else as_numeric(both, dt)


def zero_one(m: Mask) -> bool:
    return {m.inside, m.outside} <= {Cell.ZERO, Cell.ONE, Cell.TRUE, Cell.FALSE}


def as_numeric(m: Mask, dt: Dt) -> Mask:
    """A bool mask as a 0/1 tensor of ``dt`` (int or float), its cells 1 where True."""
    return replace(m, dtype=dt, inside=num_cell(m.inside), outside=num_cell(m.outside))


def _as_bool(m: Mask) -> Mask:
    return m if m.dtype is Dt.BOOL else replace(m, dtype=Dt.BOOL, inside=bool_cell(cell_truth(m.inside)),
                                                 outside=bool_cell(cell_truth(m.outside)))


def _per_sample_shape(ctx: Ctx, a: Mask, b: Mask, sym: str) -> AV:
    """Two bool masks combined where nothing is known of the cells: when one is a per-sample mask
    (``on_court[:, None, :] & on_court[:, :, None]``, then ``| torch.eye(n)``) at least as high in
    rank as the other, the result is still a per-sample bool mask of that rank (the shape rules
    need no more); else nothing is known."""
    for m, other in ((a, b), (b, a)):
        if m.dim0 == "N" and m.rank is not None and not (m.assumed or other.assumed) and \
                other.rank is not None and (other.rank < m.rank or other.dim0 in ("N", "1")):
            return ctx.step(m, sym, dtype=Dt.BOOL, region=Region.UNKNOWN, inside=Cell.TRUE, outside=Cell.FALSE,
                            rank=m.rank, dim0="N", causal_source=False)
    if a.dtype is Dt.BOOL and b.dtype is Dt.BOOL and not (a.assumed or b.assumed):
        # still a bool mask, its cells and shape open (`~(share | eye)` of a tensor of unknown rank)
        return ctx.step(a, sym, region=Region.UNKNOWN, inside=Cell.TRUE, outside=Cell.FALSE, rank=None, dim0=None,
                        key_axis=None, causal_source=False)
    return UNKNOWN


def _broadcast(kept: Mask, other: Mask) -> Mask:
    """``kept`` combined with a mask that changes none of its cells but may have more axes (an
    all-True per-sample pair mask ``& tril``): the result has the higher rank, and its first axis
    is the higher-ranked operand's."""
    if kept.rank is None or other.rank is None or other.rank <= kept.rank:
        return kept
    return replace(kept, rank=other.rank, dim0=other.dim0)


def _logical(ctx: Ctx, op: str, a: Mask, b: Mask) -> AV:
    a, b = _read_guess(a, b, op), _read_guess(b, a, op)
    sa, sb = a.true_set(), b.true_set()
    sym = "&" if op == "and" else "|"
    if Region.UNKNOWN in (sa, sb):
        # one operand of unknown structure (a same-document test, a comparison of tensors):
        # ``known & x`` is True only inside the known set, ``known | x`` at least on all of it.
        # Either way the result reads like the known operand: a keep set stays a keep mask
        # (causal & same document), a block set stays a block mask (future | other document).
        known_first = sb is Region.UNKNOWN
        known = sa if known_first else sb
        if known is Region.UNKNOWN or (op == "and" and known not in KEEPISH + BLOCKISH):
            return _per_sample_shape(ctx, a, b, sym)
        other = b if known_first else a
        if known in (Region.SAME, Region.OTHER) and any(e.text == "torch.eye" for e in other.evidence):
            # a same-group test is a keep set only by convention: combined with the diagonal
            # (`same_cam & ~eye`, a deduplication head's pairs to hide) its polarity is open
            return _per_sample_shape(ctx, a, b, sym)
        first, second = (a, b) if known_first else (b, a)
        if known in BLOCKISH:
            return _combo(ctx, first, second, sym, "block")
        if known in KEEPISH:
            return _combo(ctx, first, second, sym, "keep")
        return _per_sample_shape(ctx, a, b, sym)
    neutral, absorb = (Region.ALL, Region.NONE) if op == "and" else (Region.NONE, Region.ALL)
    if sa is neutral:
        return _broadcast(b, a)
    if sb is neutral or sa is sb:
        return _broadcast(a if a.token_axis() == b.token_axis() else replace(a, key_axis=None), b)
    if absorb in (sa, sb):
        cell = bool_cell(absorb is Region.ALL)
        return ctx.mk(Dt.BOOL, Region.ALL, cell, cell, sym)
    # intersection of keep sets keeps polarity (a keep mask); union of block sets likewise
    if op == "and" and sa in KEEPISH and sb in KEEPISH:
        return _combo(ctx, a, b, sym, "keep")
    if op == "and" and ((sa in KEEPISH and sb in BLOCKISH) or (sa in BLOCKISH and sb in KEEPISH)):
        # True only inside a block-type set (future / padding): a keep mask that keeps the wrong cells
        return _combo(ctx, a, b, sym, "block")
    if op == "or" and sa in BLOCKISH and sb in BLOCKISH:
        return _combo(ctx, a, b, sym, "block")
    lost = _causal_lost(op, sa, sb)
    if lost is not None:
        pad = a if sa is lost else b
        if _from_token_ids(pad):
            # `causal & (ids == pad)`, both True = blocked (or `tril | (ids != pad)`, both True = kept):
            # every real later token is visible, the causal part is lost (it needed `|`, or `&`)
            rank = max(a.rank, b.rank) if a.rank is not None and b.rank is not None else None
            what = "hides only the later padding" if lost is Region.PAD else "keeps every real token"
            return ctx.step(pad, f"{CAUSAL_LOST} {sym}: {what}", rank=rank, key_axis=None)
    # `future & ~in_prefix` (a prefix LM): True only where both hide, still positions hidden;
    # `causal_keep | in_prefix`: True where either allows, still positions allowed
    if op == "and" and sa in BLOCKISH and sb in BLOCKISH:
        return _combo(ctx, a, b, sym, "block")
    if op == "or" and sa in KEEPISH and sb in KEEPISH:
        return _combo(ctx, a, b, sym, "keep")
    if op == "or" and {sa, sb} & {Region.SUPER, Region.UPPER} and {sa, sb} & {Region.REAL, Region.KEEP_MIX, Region.SAME}:
        # `(q_idx <= kv_idx) | in_prefix`: True on the whole future, and on a prefix or the real
        # tokens besides; read by a keep API, every later token is visible (a prefix LM's mask_mod
        # with the comparison turned round), by a block API every earlier one is hidden
        return _combo(ctx, a, b, sym, "block")
    return UNKNOWN


#: the evidence step of a causal mask combined with padding by the wrong operator
CAUSAL_LOST = "the causal mask combined with the padding mask by"


def _causal_lost(op: str, sa: Region, sb: Region):
    """The padding region a causal mask combined the wrong way reduces to: a block triangle ANDed
    with a block padding mask hides only future padding; a keep triangle ORed with a keep padding
    mask keeps every real token.  None for any other combination."""
    if op == "and" and Region.PAD in (sa, sb) and {sa, sb} & {Region.SUPER, Region.UPPER}:
        return Region.PAD
    if op == "or" and Region.REAL in (sa, sb) and {sa, sb} & {Region.LOWER, Region.SUB}:
        return Region.REAL
    return None


def _from_token_ids(m: Mask) -> bool:
    """A padding mask of the tokens (``ids == pad_id``, a tokenizer's ``attention_mask``), not of
    positions (``arange(T) < prefix_len``: a prefix LM's bidirectional part)."""
    first = m.evidence[0].text if m.evidence else ""
    if any(name in first for name in C.HF_ATTENTION_MASK_NAMES):
        return True
    # the comparison first, or a constant filled where it holds (`zeros(ids.shape).masked_fill(ids == PAD, -inf)`)
    texts = [first] + [e.text for e in m.evidence[1:2] if e.text.startswith(".masked_fill(")]
    if any(name in t for name in C.HF_ATTENTION_MASK_NAMES for t in texts[1:]):
        return True  # `.masked_fill(attention_mask[:, None, None, :] == 0, -inf)`
    if m.ref is not None and names.TOKENISH.search(m.ref.root) and any(
            z in t.replace(" ", "") for z in ("==0", "!=0", ".eq(0)", ".ne(0)") for t in texts):
        return True  # `seq.eq(0)`: token ids against the pad id 0
    return any(bool(names.PAD_NAME.search(t)) and any(op in t for op in (" == ", " != ", ".eq(", ".ne("))
               for t in texts)


def _read_guess(guess: Mask, known: Mask, op: str) -> Mask:
    """A padding mask guessed from a parameter's name, combined with a mask the code built: the
    combination says what the code takes it for.  ``pad & tril(ones)`` intersects keep sets, so
    ``pad`` is True at real tokens; ``pad | triu(ones, 1)`` unites block sets."""
    if not guess.assumed or known.assumed or guess.region not in (Region.PAD, Region.REAL):
        return guess
    ks = known.true_set()
    want = Region.REAL if op == "and" and ks in KEEPISH else Region.PAD if op == "or" and ks in BLOCKISH else None
    if want is None or guess.true_set() is want:
        return guess
    return replace(guess, region=want if guess.region is guess.true_set() else COMPLEMENT[want])


def _combo(ctx: Ctx, a: Mask, b: Mask, sym: str, kind: str, additive: bool = False) -> Mask:
    """Causal and padding masks combined: the region is mixed, the polarity is known."""
    region = Region.KEEP_MIX if kind == "keep" else Region.BLOCK_MIX
    if a.region in (Region.PAD, Region.REAL):
        a, b = b, a
    # keep the causal member's structure when there is one (its rank, sizes); mark it mixed
    inside = Cell.NEG if additive else Cell.TRUE
    outside = Cell.ZERO if additive else Cell.FALSE
    lifted = next((m for m in (a, b) if m.rank == 3 and m.dim0 == "N"), None)
    if lifted is not None and (a if b is lifted else b).dim0 == "1" and (a if b is lifted else b).rank in (None, 3):
        rank, dim0 = 3, "N"  # `adj[None] & online[:, None, :]`: one graph for all, per sample rows
    elif a.rank is None or b.rank is None:
        rank, dim0 = None, None  # broadcast with a mask of unknown shape: the layout is unknown
    else:
        rank = max(a.rank, b.rank)
        dim0 = a.dim0 if a.rank >= b.rank else b.dim0
        if rank == 3 and "N" in (a.dim0, b.dim0):
            dim0 = "N"
    # a per-head stack (`pad.unsqueeze(1).repeat(H, L, 1)`) combined with a mask broadcast to it
    # (`eye(L).unsqueeze(0).expand_as(stack)`) is still that stack, in its head order
    tiled = next((m for m in (a, b) if m.head_order), None)
    if tiled is not None and (rank is None or rank == tiled.rank):
        rank, dim0 = tiled.rank, tiled.dim0
    heads = dict(head_order=tiled.head_order, head_node=tiled.head_node) if tiled is not None else {}
    # the token axes of the padding parts: a combination already holding padding along the keys
    # and then given the padded queries' rows (`(block | pad[:, None, :]) & ~pad[:, :, None]`) has both
    pads = [m.token_axis() for m in (a, b) if m.region in (Region.PAD, Region.REAL) or
            m.region in (Region.KEEP_MIX, Region.BLOCK_MIX) and m.token_axis() is not None]
    key_axis = pads[0] if len(set(pads)) == 1 else None
    return ctx.step(a, f"combined with {sym}", key_axis=key_axis, region=region, inside=inside, outside=outside,
                    dtype=Dt.FLOAT if additive else Dt.BOOL, rank=rank, dim0=dim0, **heads,
                    neg_consts=a.neg_consts + b.neg_consts,
                    causal_source=a.is_causal_shaped() or b.is_causal_shaped(), ref=a.ref or b.ref,
                    left=a.left or b.left)
