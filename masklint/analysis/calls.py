"""The call table: what library functions and tensor methods do to abstract values.

``FUNCTIONS`` maps a qualified name (``torch.tril``) to its transfer function, ``ANY_TORCH``
a name's last component wherever it sits under ``torch`` (``torch.nn.functional.softmax`` and
``torch.softmax``), ``TF_FUNCTIONS`` the TensorFlow / Keras helpers by last component, and
``MASK_METHODS`` / ``TENSOR_METHODS`` tensor methods by name.  Library mask builders with a
documented convention are data (``conventions.MASK_SOURCES``), not code.

A transfer function takes ``(ctx, args)`` (methods: ``(ctx, recv, name, args, recv_node)``)
and returns an abstract value; unknown is always a correct answer.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, List, Optional, Tuple

from masklint._libcst import call_name, cst

from masklint import conventions as C
from masklint.analysis import algebra, names, operators, sinks, sources, usage
from masklint.analysis.algebra import as_int, const_cell, dtype_of
from masklint.analysis.ctx import Arg, Ctx, kwarg, positional
from masklint.analysis.sinks import masked_fill_on_scores, softmax_of, where_on_scores
from masklint.analysis.sources import square_subsequent
from masklint.analysis.values import (
    AV,
    PADDING_REGIONS,
    TRANSPOSE,
    UNKNOWN,
    Cell,
    ChoiceV,
    ClassV,
    Const,
    DictV,
    Dt,
    DType,
    EmbeddingV,
    embedded_ids,
    element_of,
    scores_source,
    LengthDiff,
    FuncV,
    LambdaV,
    LoaderV,
    Instance,
    LinearV,
    Mask,
    ModuleListV,
    ObjV,
    PartialV,
    Qual,
    Region,
    ShapeV,
    Size,
    SizeRef,
    SplitV,
    Tensor,
    TensorRef,
    TriIndexV,
    TupleV,
    Unknown,
    bool_cell,
    cell_truth,
    join,
    num_cell,
    tril_region,
    triu_region,
)

BUILTINS = {"float", "int", "len", "bool", "range", "max", "min", "list", "tuple", "getattr", "isinstance",
            "enumerate", "zip", "dict", "iter", "next"}


# --------------------------------------------------------------------------- arguments
def sizes_of(args: List[Arg]):
    """The size arguments of torch.ones(...)-style calls: (rank, sized refs)."""
    vals = [a[0] for a in positional(args)]
    size_kw, _ = kwarg(args, "size")
    if size_kw is not None:
        vals = [size_kw]
    if len(vals) == 1 and isinstance(vals[0], TupleV):
        vals = list(vals[0].items)
    elif len(vals) == 1 and not isinstance(vals[0], (Size, Const)):
        return None, ()
    return len(vals), tuple(v.ref for v in vals if isinstance(v, Size))


def passthrough(args: List[Arg]) -> AV:
    """An unknown layer applied to x: assume it keeps x's layout (norms, dropout, positional enc)."""
    pos = positional(args)
    if pos and isinstance(pos[0][0], Tensor):
        t = pos[0][0]
        # a padded batch of features (`pad_sequence(frames)`) projected is padded like embedded ids
        embedded = t.embedded or ("left" if t.padded_ids == "left" else "padded" if t.padded_ids else False)
        return Tensor(ref=t.ref, embedded=embedded, source=t.source, probs=t.probs, positions=t.positions,
                      padding_of=t.padding_of)  # (an encoder's output normed or projected: still padded)
    return UNKNOWN


def _softmax(ctx, args):
    """``softmax(scores)``: attention probabilities."""
    pos = positional(args)
    if pos and isinstance(pos[0][0], Tensor):
        t = pos[0][0]
        softmax_of(ctx, t)
        return Tensor(ref=t.ref, source=t.source, probs=t.scores or t.probs)
    return UNKNOWN


# --------------------------------------------------------------------------- qualified names
def qual_attr(ctx: Ctx, base: Qual, attr: str) -> AV:
    name = f"{base.name}.{attr}"
    if base.name.startswith("torch.finfo("):
        adaptive = base.name.endswith("(adaptive)")
        if attr == "min":
            return Const(algebra.FINFO_MIN, finfo_min=True, adaptive=adaptive)
        if attr == "max":
            return Const(-algebra.FINFO_MIN, finfo_min=True, adaptive=adaptive)
        return UNKNOWN
    if name in ("math.inf", "numpy.inf", "torch.inf", "numpy.Inf"):
        return Const(float("inf"))
    if attr == "newaxis" and base.name in ("tensorflow", "numpy", "tf"):
        return Const(None)
    dt = dtype_of(Qual(name))
    if dt is not None and base.name in ("torch", "tensorflow", "numpy", "tf", "paddle"):
        return DType(dt, attr)
    return ctx.qual_value(name)


def call_qual(ctx: Ctx, q: str, args: List[Arg]) -> AV:
    """A call of a library function or class by its qualified name."""
    fn = FUNCTIONS.get(q)
    if fn is not None:
        return fn(ctx, args)
    src = C.mask_source(q)
    if src is not None:
        return sources.library_mask(ctx, src)
    helper = sources.configured_helper(ctx, q)
    if helper is not None:
        return helper
    tail = q.rsplit(".", 1)[-1]
    if q.startswith("torch."):
        if q.count(".") == 1 and tail in CONSTANTS:
            return constant(ctx, tail, args)
        fn = ANY_TORCH.get(tail)
        if fn is not None:
            return fn(ctx, args)
        if tail == "Embedding":
            return _embedding(ctx, args)
        return UNKNOWN
    if q.startswith("paddle."):
        # PaddlePaddle's tensor functions mirror torch's (paddle.triu, paddle.ones, paddle.logical_not)
        fn = FUNCTIONS.get("torch." + tail) or ANY_TORCH.get(tail)
        if fn is not None:
            return fn(ctx, args)
        return constant(ctx, tail, args) if q.count(".") == 1 and tail in CONSTANTS else UNKNOWN
    if tail == "Input" and "keras" in q.split("."):
        return _keras_input(args)
    if q.startswith(("tensorflow.", "tf.", "keras.ops.", "keras.backend.")):
        fn = TF_FUNCTIONS.get(tail)
        return fn(ctx, args) if fn is not None else UNKNOWN
    if q.startswith("numpy."):
        # masks precomputed with NumPy (in a data loader) and handed over with torch.from_numpy
        if q.count(".") == 1 and tail in CONSTANTS:
            return constant(ctx, tail, args)
        fn = NUMPY_FUNCTIONS.get(tail)
        return fn(ctx, args) if fn is not None else UNKNOWN
    return UNKNOWN


def _keras_input(args: List[Arg]) -> AV:
    """``keras.Input(shape=(T,), dtype="int32")``: a batch of token ids, padded (with 0, which
    ``mask_zero=True`` and ``ops.equal(ids, 0)`` read as padding); a float input is features."""
    dt, _ = kwarg(args, "dtype")  # (by keyword: its position differs between Keras 2 and 3)
    if isinstance(dt, Const) and dt.value in ("int32", "int64", "int") or isinstance(dt, DType) and dt.dt is Dt.INT:
        return Tensor(padded_ids=True)
    return UNKNOWN


# --- builtins and the standard library -------------------------------------------------------
def _float(ctx, args):
    pos = positional(args)
    if not pos:
        return UNKNOWN
    v = pos[0][0]
    if isinstance(v, Const) and isinstance(v.value, str):
        try:
            return Const(float(v.value))
        except ValueError:
            return UNKNOWN
    return v if isinstance(v, Const) else UNKNOWN


def _getattr(ctx, args):
    """``getattr(cfg, "neg_inf", float("-inf"))``: the attribute where the object is known to have
    it, else the default the code falls back on."""
    pos = positional(args)
    if len(pos) < 2 or not isinstance(pos[1][0], Const) or not isinstance(pos[1][0].value, str):
        return UNKNOWN
    obj, name = pos[0][0], pos[1][0].value
    if isinstance(obj, ObjV) and name in obj.attrs:
        return obj.attrs[name]
    return pos[2][0] if len(pos) > 2 else UNKNOWN


def _kv_cache_cat(ctx: Ctx) -> AV:
    """A concatenation along a sequence axis whose first element is a cache of past keys/values."""
    seq = ctx.node.args[0].value if ctx.node.args else None
    if not isinstance(seq, (cst.List, cst.Tuple)) or len(seq.elements) < 2:
        return UNKNOWN
    first = ctx.code(seq.elements[0].value)
    if not names.KV_CACHE.search(first):
        return UNKNOWN
    last = ctx.eval(seq.elements[-1].value)
    ref = last.ref if isinstance(last, Tensor) else None
    return Tensor(ref=ref, cached=True, source=first)


def _embedding(ctx: Ctx, args: List[Arg]) -> AV:
    """``nn.Embedding(vocab, dim, padding_idx=pad)``: the ids it embeds are padded."""
    pad, _ = kwarg(args, "padding_idx", 2)
    size = kwarg(args, "num_embeddings", 0)[1]
    pad_id = pad.value if isinstance(pad, Const) and type(pad.value) is int else None
    return EmbeddingV(padded=pad is not None and not (isinstance(pad, Const) and pad.value is None),
                      size=ctx.code(size) if size is not None else "", pad_id=pad_id)


def _f_embedding(ctx, args) -> AV:
    """``F.embedding(ids, weight)``: like a call of ``nn.Embedding``, padded embeddings for
    padded ids (or for any ids, given a ``padding_idx``)."""
    ids = kwarg(args, "input", 0)[0]
    if not isinstance(ids, Tensor):
        return UNKNOWN
    pad = kwarg(args, "padding_idx", 2)[0]
    return embedded_ids(ids, ids.ref, pad is not None and not (isinstance(pad, Const) and pad.value is None))


def _pad_sequence(ctx: Ctx, args: List[Arg]) -> AV:
    """``pad_sequence(seqs, batch_first=False, padding_value=0)``: padded token ids, or, for
    per-sequence constants (``[torch.zeros(len(x), dtype=torch.bool) for x in batch]`` padded
    with True), a padding mask: the padded cells hold ``padding_value``, the real ones the
    constant.  Sequence-first, (S, N), unless ``batch_first=True``."""
    _, node = kwarg(args, "sequences", 0)
    if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
        item = ctx.eval(node.elt)
    elif isinstance(node, (cst.List, cst.Tuple)) and node.elements:
        item = ctx.eval(node.elements[0].value)
    else:
        item = None
    fill = kwarg(args, "padding_value", 2)[0]
    fill = fill if fill is not None else Const(0)
    real = cell_truth(item.inside) if isinstance(item, Mask) and item.region is Region.ALL and \
        item.inside is item.outside else None
    pad = bool(fill.value) if isinstance(fill, Const) and fill.value in (0, 1) else None  # not -inf: a bias
    if real is None:
        return Tensor(padded_ids=True)
    if pad is None or real == pad:
        return UNKNOWN  # constants padded with -inf (a bias), or with their own value
    batch_first = kwarg(args, "batch_first", 1)[0]
    first = isinstance(batch_first, Const) and batch_first.value is True
    dt = item.dtype
    inside, outside = (Cell.TRUE, Cell.FALSE) if dt is Dt.BOOL else (Cell.ONE, Cell.ZERO)
    return ctx.mk(dt, Region.PAD if pad else Region.REAL, inside, outside,
                  f"pad_sequence(...) of {'False' if pad else 'True'}s padded with {'True' if pad else 'False'}"
                  f" ({'True' if pad or dt is Dt.BOOL else '1'} = {'padding' if pad else 'a real element'})",
                  rank=2, dim0="N" if first else "S")


def legacy_tensor(ctx: Ctx, args: List[Arg], dt: Dt) -> AV:
    """``torch.BoolTensor(x)`` / ``LongTensor`` / ``FloatTensor``: a mask stays that mask in the
    constructor's dtype; ids stay ids; sizes make an uninitialised tensor."""
    pos = positional(args)
    if len(pos) == 1 and isinstance(pos[0][0], Mask):
        m = pos[0][0]
        if m.dtype is dt:
            return m
        return ctx.step(m, f"a torch.{dt.value} tensor",
                        dtype=dt, inside=_as_dtype_cell(m.inside, dt), outside=_as_dtype_cell(m.outside, dt))
    if len(pos) == 1 and isinstance(pos[0][0], Tensor):
        return pos[0][0]
    return UNKNOWN


def _as_dtype_cell(c: Cell, dt: Dt) -> Cell:
    if dt is Dt.BOOL:
        return bool_cell(cell_truth(c)) if cell_truth(c) is not None else c
    return num_cell(c) if c in (Cell.TRUE, Cell.FALSE) else c


def _tensor_of(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.tensor(x)`` / ``torch.as_tensor(x)``: a constant stays that constant (a fill value
    such as ``torch.tensor(torch.finfo(dtype).min)``); a mask (a NumPy one) stays that mask."""
    pos = positional(args)
    if pos and isinstance(pos[0][0], Const):
        return pos[0][0]
    if pos and isinstance(pos[0][0], Mask):
        dt, dt_node = kwarg(args, "dtype", 1)
        return _m_to(ctx, pos[0][0], "to", [(dt, dt_node, "dtype", False)], pos[0][1]) if dt is not None else pos[0][0]
    side = _padded_rows(ctx, pos[0][1]) if pos else None
    if isinstance(side, Mask):
        return side
    compared = _pad_token_rows(ctx, pos[0][1]) if pos else None
    if compared is not None:
        return compared
    if side is not None:
        return Tensor(padded_ids=side)  # torch.tensor([[pad] * (L - len(p)) + p for p in prompts])
    rows = _literal_rows(pos[0][1]) if pos and isinstance(pos[0][1], (cst.List, cst.Tuple)) else []
    if rows:
        nested = any(isinstance(e.value, (cst.List, cst.Tuple)) for e in pos[0][1].elements)
    elif pos and isinstance(pos[0][0], TupleV):
        rows, nested = _value_rows(pos[0][0]), any(isinstance(i, TupleV) for i in pos[0][0].items)
    else:
        return UNKNOWN
    return _literal_mask(ctx, rows, 2 if nested else 1, kwarg(args, "dtype")[0], pos[0][1])


def _pad_token_rows(ctx, node) -> Optional[Mask]:
    """``[[tok != "<pad>" for tok in row] for row in batch]``: string tokens compared with the
    padding token, row by row: a bool padding mask of the batch (True at the real tokens with
    ``!=``, at the padding with ``==``)."""
    if not isinstance(node, (cst.ListComp, cst.GeneratorExp)) or not isinstance(node.elt, (cst.ListComp, cst.GeneratorExp)):
        return None
    test = node.elt.elt
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return None
    op = test.comparisons[0].operator
    sides = (test.left, test.comparisons[0].comparator)
    if not isinstance(op, (cst.Equal, cst.NotEqual)) or not any(
            isinstance(x, cst.SimpleString) and x.evaluated_value in operators.PAD_TOKENS or
            isinstance(x, (cst.Name, cst.Attribute)) and names.PAD_NAME.search(ctx.code(x)) for x in sides):
        return None
    region = Region.PAD if isinstance(op, cst.Equal) else Region.REAL
    return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"`{ctx.code(test)}` for each token of each row",
                  rank=2, dim0="N")


def _padded_rows(ctx, node):
    """``[[pad] * (L - len(p)) + p for p in batch]``: token rows padded by hand, on the left
    ("left") or on the right (True); None when the rows are not built that way."""
    if not isinstance(node, (cst.ListComp, cst.GeneratorExp)) or not isinstance(node.elt, cst.BinaryOperation) or \
            not isinstance(node.elt.operator, cst.Add):
        return None
    runs = [_const_run(part) for part in (node.elt.left, node.elt.right)]
    if None not in runs and set(runs) == {0, 1}:
        # `[0] * (L - len(p)) + [1] * len(p)`: a padding mask built row by row, 1 at the real tokens
        return ctx.mk(Dt.INT, Region.REAL, Cell.ONE, Cell.ZERO, "rows of 0s and 1s", rank=2, dim0="N")
    for part, other, side in ((node.elt.left, node.elt.right, "left"), (node.elt.right, node.elt.left, True)):
        item = _repeated_item(part)
        if item is not None and (names.PAD_NAME.search(ctx.code(item)) or (
                isinstance(item, cst.Integer) and isinstance(other, (cst.Name, cst.Call, cst.Subscript)))):
            # `[pad_id] * (L - len(p)) + p`, or a literal pad id (`[0] * (L - len(p)) + p`) beside the row
            return side
    return None


def _repeated_item(part):
    """``[x] * n``: the node of x; None otherwise."""
    if isinstance(part, cst.BinaryOperation) and isinstance(part.operator, cst.Multiply) and \
            isinstance(part.left, cst.List) and len(part.left.elements) == 1:
        return part.left.elements[0].value
    return None


def _const_run(part):
    """``[c] * n`` with c an int literal: c; None otherwise."""
    item = _repeated_item(part)
    return int(item.value) if isinstance(item, cst.Integer) else None


def _value_rows(v: TupleV) -> List[List[object]]:
    """The rows of a list built in code (``[[1] * 7, [0, 0] + [1] * 5]``), as ``_literal_rows``."""
    def cells(t):
        out = [i.value for i in t.items if isinstance(i, Const)]
        ok = len(out) == len(t.items) and all(isinstance(c, (bool, int, float)) for c in out)
        return out if ok and out else None
    rows = [cells(v)] if not any(isinstance(i, TupleV) for i in v.items) else [
        cells(i) if isinstance(i, TupleV) else None for i in v.items]
    return [] if any(r is None for r in rows) else rows


def _literal_rows(node) -> List[List[object]]:
    """The rows of a literal ``[[1, 1, 0], [1, 0, 0]]`` (or one row ``[1, 1, 0]``), each cell a
    bool or a number; ``[]`` when any element is not such a literal."""
    def cell(e):
        if isinstance(e, cst.Name) and e.value in ("True", "False"):
            return e.value == "True"
        if isinstance(e, cst.Integer):
            return int(e.value, 0)
        if isinstance(e, cst.Float):
            return float(e.value)
        return None

    items = [e.value for e in node.elements]
    rows = [items] if not any(isinstance(i, (cst.List, cst.Tuple)) for i in items) else [
        [e.value for e in i.elements] if isinstance(i, (cst.List, cst.Tuple)) else None for i in items]
    out = []
    for r in rows:
        cells = [cell(e) for e in r] if r is not None else [None]
        if not cells or any(c is None for c in cells):
            return []
        out.append(cells)
    return out


def _literal_ids(rows, rank: int) -> AV:
    """``torch.tensor([[0, 0, 5, 9], [7, 2, 8, 4]])``: token ids padded with 0 at the start of some
    rows and not of others (left padding, batched generation), or at the end (right padding).
    Rows of ids, not of 0s and 1s; a row that holds no 0 run shows the others are padded."""
    if rank != 2 or len(rows) < 2 or not all(r and type(v) is int for r in rows for v in r) or \
            not any(v > 1 for r in rows for v in r):
        return UNKNOWN

    def run(r) -> int:  # the zeros at the start of a row
        return next((i for i, v in enumerate(r) if v != 0), len(r))

    def inner(r) -> bool:  # a 0 between the runs at the ends: a real token 0, not padding
        lead, trail = run(r), run(r[::-1])
        return 0 in r[lead:len(r) - trail]
    if any(inner(r) for r in rows) or all(0 in r for r in rows):
        return UNKNOWN
    # two pads or more at one end of a row (one 0 first may be a start token)
    starts = [run(r) >= 2 for r in rows]
    ends = [run(r[::-1]) >= 2 for r in rows]
    if any(r[0] == 0 for r, s_ in zip(rows, starts) if not s_) or any(r[-1] == 0 for r, e in zip(rows, ends) if not e):
        return UNKNOWN
    if any(starts) and not all(starts) and not any(ends):
        return Tensor(padded_ids="left")
    if any(ends) and not all(ends) and not any(starts):
        return Tensor(padded_ids=True)
    return UNKNOWN


def _literal_mask(ctx: Ctx, rows, rank: int, dtype: AV, node) -> AV:
    """``torch.tensor([[1, 1, 0, 0]])``: a two-valued literal is a mask of the literal's dtype
    (int64 for integers).  Where every row is a run of one value followed by a run of the other,
    the first value marks the real tokens (right padding), as a tokenizer's ``attention_mask``
    does; otherwise where each value sits is not known."""
    values = {v for r in rows for v in r}
    if len(values) != 2 or not values <= {0, 1, True, False}:
        return _literal_ids(rows, rank)
    dt = dtype_of(dtype) or (Dt.BOOL if all(isinstance(v, bool) for v in values) else
                             Dt.FLOAT if any(isinstance(v, float) for v in values) else Dt.INT)
    # Every mixed row is one run then another (padding on one side).  A constant row of ones is a
    # sample with no padding: 1 marks real tokens, and the others may be padded on either side (left
    # padding for generation).  Otherwise the rows read as right padding, the first value marking
    # real tokens, unless a constant row holds the other value (an empty sample, or a full one
    # padded on the left: which value is real is then not known).
    mixed = [r for r in rows if len(set(r)) > 1]
    full = {r[0] for r in rows if len(set(r)) == 1}
    runs = bool(mixed) and all(len([i for i in range(1, len(r)) if r[i] != r[i - 1]]) <= 1 for r in mixed)
    if full == {1}:
        real = 1
        # (beside a bool row of True that may as well be a sample all padding, a row whose True run
        # ends it reads as right padding too: `[[F, F, T], [T, T, T]]`, so which value is real is open)
        known = runs and all(1 in (r[0], r[-1]) for r in mixed) and (
            dt is not Dt.BOOL or all(r[0] == 1 for r in mixed))
    elif dt is not Dt.BOOL and mixed and all(r[0] == 0 and r[-1] == 1 for r in mixed) and not full - {1} and \
            2 * sum(v == 1 for r in mixed for v in r) > sum(len(r) for r in mixed):
        # `torch.tensor([[0, 0, 1, 1, 1]])`: as a tokenizer gives it, a prompt padded on the left
        # (1 = a real token), or as likely segment ids; with the ones most of it, which is open
        # (padding is the smaller part of a batch: `[[0, 0, 0, 1]]` reads as 1 = padding)
        real, known = 1, False
    else:
        real = mixed[0][0] if mixed else rows[0][0]
        known = runs and all(r[0] == real for r in mixed) and not any(v != real for v in full)
    region = Region.REAL if known else Region.UNKNOWN
    inside = Cell.TRUE if real else Cell.FALSE
    outside = Cell.FALSE if real else Cell.TRUE
    if dt is not Dt.BOOL:
        inside, outside = num_cell(inside), num_cell(outside)
    # rows of a right-padded reading are samples: an (N, S) padding mask
    dim0 = "N" if rank == 2 and region is Region.REAL else None
    # `[[0, 0, 1, 1], [1, 1, 1, 1]]`: the real tokens (1) at the end of every padded row
    left = known and real == 1 and bool(mixed) and all(r[-1] == 1 and r[0] != 1 for r in mixed)
    return ctx.mk(dt, region, inside, outside, f"torch.tensor({ctx.code(node)[:30]})", rank=rank, dim0=dim0,
                  left=left)


def _len(ctx, args):
    pos = positional(args)
    if pos and isinstance(pos[0][0], Tensor) and pos[0][0].ref is not None:
        return Size(SizeRef(pos[0][0].ref, 0), ctx.node)
    return UNKNOWN


def _enumerate(ctx, args):
    """``enumerate(xs)``: (index, element) pairs, the element what a loop over ``xs`` binds
    (``for i, layer in enumerate(self.layers)``); an element of per-sample lengths is a length."""
    pos = positional(args)
    if not pos:
        return UNKNOWN
    seq, text = pos[0][0], ctx.code(pos[0][1]).split("(")[0].split("[")[0].split(".")[0]
    lengths = (isinstance(seq, Tensor) and seq.lengths) or bool(names.LENISH.search(text))  # lens.tolist()
    item = Tensor(lengths=True) if lengths else element_of(seq)
    return ModuleListV(TupleV((UNKNOWN, item)))


def _dict(ctx, args):
    """``dict(attn=nn.MultiheadAttention(...), ln=...)`` (a ModuleDict's layers), or a copy of a
    dict display with keywords added."""
    items = {}
    for value, _, keyword, star in args:
        if star:
            return UNKNOWN
        if keyword is None:
            if not isinstance(value, DictV):
                return UNKNOWN
            items.update(value.items)
        else:
            items[keyword] = value
    return DictV(items)


def _copy(ctx, args):
    pos = positional(args)
    return pos[0][0] if pos else UNKNOWN


def _partial(ctx, args):
    pos = positional(args)
    if pos and isinstance(pos[0][0], (Qual, ClassV, FuncV)):
        return PartialV(pos[0][0], tuple(args[1:]))
    return UNKNOWN


def _unknown(ctx, args):
    return UNKNOWN


# --- torch: masks ------------------------------------------------------------------------------
CONSTANTS = ("ones", "zeros", "full", "empty", "ones_like", "zeros_like", "full_like", "empty_like")


def _one_token(size: AV) -> bool:
    """``torch.full((1, 1), pad_id)``: one start token (the pad id doubling as BOS), not a padded batch."""
    items = size.items if isinstance(size, TupleV) else ()
    return len(items) == 2 and isinstance(items[1], Const) and items[1].value == 1


def constant(ctx: Ctx, tail: str, args: List[Arg], default: Dt = Dt.FLOAT) -> AV:
    """``torch.ones / zeros / full(_like)`` and friends: a mask equal everywhere."""
    like = tail.endswith("_like")
    base = tail[:-5] if like else tail
    dt = dtype_of(kwarg(args, "dtype")[0])
    pos = positional(args)
    if base in ("full", "fill"):
        fill, fill_node = kwarg(args, "fill_value", 1)
        if not pos:
            return UNKNOWN
        if fill_node is not None and names.PAD_NAME.search(ctx.code(fill_node)) and not like and \
                not _one_token(pos[0][0]):
            return Tensor(padded_ids=True)  # torch.full((B, L), pad_id): a batch of token ids, padded
        size_args = [pos[0]]
    else:
        fill = Const(1 if base == "ones" else 0)
        size_args = pos if not like else []
    # torch.empty: a tensor of the size, cells unknown until a fill_ / slice writes them
    cell = Cell.OTHER if base == "empty" else (const_cell(fill) if fill is not None else None)
    if cell is None:
        return UNKNOWN
    if like:
        src = pos[0][0] if pos else UNKNOWN
        rank = src.rank if isinstance(src, Mask) else None
        dim0 = src.dim0 if isinstance(src, Mask) else None
        if kwarg(args, "dtype")[1] is not None and dt is None:
            dt = Dt.UNKNOWN  # zeros_like(mask, dtype=dtype): a dtype we cannot tell, not the mask's
        elif dt is None and isinstance(src, Mask):
            dt = src.dtype
        elif dt is None and isinstance(src, Tensor) and (src.padded_ids or src.origin and names.IDS_NAME.search(src.origin)):
            dt = Dt.INT  # ones_like(input_ids), zeros_like(codes): int64, like the ids
        sized = ()
    else:
        rank, sized = sizes_of(size_args)
        # `torch.ones(batch, n_slots, dtype=torch.bool)`: one row per sample, by the size's name
        dim0 = "N" if rank is not None and rank >= 2 and len(size_args) >= 2 and \
            names.is_batch_size(ctx.code(size_args[0][1])) else None
    layout = None
    if len(sized) == 2 and sized[0].ref.root == sized[1].ref.root and \
            {sized[0].root_dim(), sized[1].root_dim()} == {0, 1}:
        layout = TensorRef(sized[0].ref.root, swapped=sized[0].root_dim() == 1)
    if dt is None:
        if isinstance(fill, Const) and isinstance(fill.value, bool):
            dt = Dt.BOOL
        elif base in ("full", "fill") and isinstance(fill, Const) and isinstance(fill.value, int) and \
                default is Dt.FLOAT and not tail.startswith("fill"):
            dt = Dt.INT  # torch.full(size, 1) is int64
        else:
            dt = default
    if dt is Dt.BOOL:
        cell = bool_cell(cell_truth(cell))
    elif dt is Dt.INT and cell is Cell.NEG:
        cell = Cell.OTHER
    else:
        cell = num_cell(cell)
    negs = ((fill, ctx.node),) if algebra.finite_negative(fill) else ()
    label = f"torch.{tail}" + ("(..., dtype=torch.bool)" if dt is Dt.BOOL else "")
    return ctx.mk(dt, Region.ALL, cell, cell, label, rank=rank, dim0=dim0, sized=sized, neg_consts=negs, ref=layout)


def _resized_mask(ctx: Ctx, args: List[Arg]) -> AV:
    """``F.interpolate(mask[:, None].float(), size=feat.shape[-2:])``: an image's padding mask
    brought to the feature map's size keeps what it marks (DETR's backbone masks)."""
    pos = positional(args)
    m = pos[0][0] if pos else UNKNOWN
    if not isinstance(m, Mask) or m.region not in (Region.PAD, Region.REAL):
        return UNKNOWN
    return ctx.step(m, "F.interpolate")


def _tri_fn(which):
    def tri(ctx, args):
        pos = positional(args)
        if not pos:
            return UNKNOWN
        return algebra.tri(ctx, pos[0][0], which, _diagonal(ctx, args, 1))
    return tri


def _tri_indices(which):
    def indices(ctx, args):
        """``torch.triu_indices(T, T, offset)``: the (rows, cols) of a triangle, a mask by index."""
        off, _ = kwarg(args, "offset", 2)
        k = 0 if off is None else as_int(off)
        region = (triu_region if which == "triu" else tril_region)(k) if k is not None else Region.UNKNOWN
        if region is Region.UNKNOWN:
            return UNKNOWN
        shown = f"torch.{which}_indices(..., offset={k})"
        m = ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, shown, rank=2, dim0="L")
        return TupleV((TriIndexV(m, 0), TriIndexV(m, 1)))
    return indices


def _logical_not(ctx, args):
    pos = positional(args)
    return method(ctx, pos[0][0], "logical_not", [], pos[0][1]) if pos else UNKNOWN


def _bool_condition(ctx: Ctx, cond: AV, node) -> None:
    """The condition of ``masked_fill`` / ``torch.where`` must be bool (torch raises
    "masked_fill_ only supports boolean masks" otherwise): an int mask the code built there
    (a tokenizer's ``attention_mask`` as it comes, ``torch.tensor([[1, 1, 0]])``) is ML203."""
    # a guessed one only as the tokenizer gives it: taken beside token ids, passed down untouched
    # (deeper in model code the name often holds an extended mask)
    if isinstance(cond, Mask) and cond.dtype is Dt.INT and (
            not cond.assumed or (len(cond.evidence) == 1 and sources.beside_token_ids(ctx.interp.stack, cond))):
        ctx.constant("int_condition", Const(0), node, cond)


def _where(ctx, args):
    pos = positional(args)
    _bool_condition(ctx, *kwarg(args, "condition", 0))
    if len(pos) != 3:
        return UNKNOWN
    (cond, cnode), (a, anode), (b, bnode) = ((p[0], p[1]) for p in pos)
    if isinstance(a, Tensor) and a.scores and isinstance(b, Mask) and b.region is Region.ALL and \
            b.inside is Cell.NEG and b.outside is Cell.NEG:
        # where(mask, scores, full_like(scores, -1e9)): a tensor of one large negative is that constant
        b = b.neg_consts[0][0] if b.neg_consts else Const(float("-inf"))
    if const_cell(a) is not None and const_cell(b) is not None:
        for v, n in ((a, anode), (b, bnode)):
            if algebra.finite_negative(v):
                ctx.constant("fill", v, n)  # torch.where(keep, 0.0, -1e9) writes -1e9 like masked_fill does
        return algebra.select(ctx, cond, a, b, anode, bnode) if isinstance(cond, Mask) else UNKNOWN
    if const_cell(b) is Cell.NEG and const_cell(a) is None and not isinstance(a, Mask):
        # torch.where(mask, scores, -inf): hand-written attention (a constant ``a`` builds a mask)
        return where_on_scores(ctx, cond, cnode, b, bnode, scores=a)
    if const_cell(a) is Cell.NEG and isinstance(a, Const) and isinstance(b, Tensor) and b.scores:
        # torch.where(no_peek, -inf, scores): the scores filled with -inf where the mask is True,
        # a masked_fill written as a where
        masked_fill_on_scores(ctx, cond, cnode, a, anode, scores=b)
        return Tensor(scores=True, source=b.source)
    zero = const_cell(b) is Cell.ZERO or (isinstance(b, Mask) and b.inside is Cell.ZERO and b.outside is Cell.ZERO)
    if zero and const_cell(a) is None and not isinstance(a, Mask) and \
            isinstance(cond, Mask) and cond.dtype is Dt.BOOL and (not cond.assumed or names.trusted_guess(cond)):
        # torch.where(adj > 0, e, zeros_like(e)) before a softmax (a dense GAT): the hidden scores are 0,
        # weight exp(0); the softmax that follows reports it (sinks.softmax_of)
        kept = ctx.step(cond, sinks.ZERO_FILLED)
        return Tensor(ref=a.ref if isinstance(a, Tensor) else None, scores=isinstance(a, Tensor) and a.scores,
                      zeroed=(kept, cnode))
    return UNKNOWN


def _arange(ctx, args):
    pos = positional(args)
    end = pos[0][0] if len(pos) == 1 else (pos[1][0] if len(pos) >= 2 else None)
    return Tensor(index_axis="1d", along=end.ref if isinstance(end, Size) else None)


def _finfo(ctx, args):
    pos = positional(args)
    arg = pos[0][0] if pos else None
    fixed = isinstance(arg, DType) and arg.name in ("float32", "float", "float64", "double")
    return Qual("torch.finfo()" if fixed else "torch.finfo(adaptive)")


def _matmul(ctx, args):
    """``torch.matmul(a, b)`` / ``torch.bmm``: ``a @ b``."""
    pos = positional(args)
    if len(pos) == 2 and isinstance(pos[0][0], Mask) and isinstance(pos[1][0], Mask):
        return operators.outer_product(ctx, pos[0][0], pos[1][0])
    return _scores(ctx, args)


def _scores(ctx, args):
    pos = positional(args)
    rank = None
    operands = [p[0] for p in pos]
    if pos and isinstance(pos[0][0], Const) and isinstance(pos[0][0].value, str) and "->" in pos[0][0].value:
        out = pos[0][0].value.split("->")[1]  # torch.einsum("b h i d, b h j d -> b h i j", q, k)
        if "..." not in out:
            rank = len(out.split()) if " " in out.strip() else len(out.strip())
        operands = operands[1:]
    bare = True
    if ctx.code(ctx.node.func).endswith("baddbmm"):
        operands = operands[1:]  # baddbmm(input, q, k^T): the input is added
        bare = False
    # q and k upcast first (`torch.baddbmm(s, q.float(), k.float().transpose(1, 2))`): float32 scores
    fp32 = any(isinstance(o, Tensor) and o.fp32 for o in operands)
    heads = operands[0].heads if operands and isinstance(operands[0], Tensor) else None
    return Tensor(scores=True, rank=rank, source=scores_source(operands[0], operands[1]) if len(operands) >= 2 else None,
                  fp32=fp32, bare=bare, heads=heads)



def _compare_fn(op):
    def compare(ctx, args):
        pos = positional(args)
        if len(pos) != 2:
            return UNKNOWN
        return operators.compare_values(ctx, pos[0][0], pos[1][0], op, pos[0][1], pos[1][1])
    return compare


def _listed(args: List[Arg]) -> Optional[tuple]:
    """The values of ``torch.cat``'s list display of two or more parts (already evaluated with the
    call's arguments), or None for anything else."""
    pos = positional(args)
    seq, node = (pos[0][0], pos[0][1]) if pos else (None, None)
    if not isinstance(node, (cst.List, cst.Tuple)) or not isinstance(seq, TupleV) or len(seq.items) < 2:
        return None
    return seq.items


def _padding_with_columns(ctx: Ctx, parts) -> Optional[AV]:
    """``torch.cat([mask.new_ones(B, 1), keep], dim=1)``: a padding mask given columns for tokens
    that are never padding (a CLS or register token), written in the mask's own polarity: still
    that padding mask.  None when the parts (``_listed``) are anything else."""
    padding = [m for m in parts if isinstance(m, Mask) and m.region in PADDING_REGIONS]
    if len(padding) != 1:
        return None
    mask = padding[0]
    real = Region.ALL if mask.true_set() is Region.REAL else Region.NONE  # the constant that says "a real token"
    if not all(m is mask or (isinstance(m, Mask) and m.region in (Region.ALL, Region.NONE) and m.true_set() is real)
               for m in parts):
        return None
    return ctx.step(mask, f"torch.cat([...], dim={ctx.code(ctx.node.args[1].value) if len(ctx.node.args) > 1 else 1})"
                          ": columns for tokens that are never padding")


def _same_dtype(ctx: Ctx, parts) -> Optional[AV]:
    """Int masks joined along the keys, where their cells are not followed (a mask written row
    by row, then given columns): an int mask, its positions unknown (what ML203 needs).  Float
    parts are left alone: an unknown float mask would hide the constants a sum of them holds."""
    masks = [m for m in parts if isinstance(m, Mask) and not m.assumed]
    if len(masks) != len(parts) or any(m.dtype is not Dt.INT for m in masks):
        return None
    first = masks[0]
    return ctx.mk(Dt.INT, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, "torch.cat([...]) of int masks", rank=first.rank,
                  dim0=first.dim0)


def _cat(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.cat([m] * num_heads, 0)`` / ``torch.cat([m for _ in range(num_heads)])``: head-major
    tiling.  ``torch.cat([past_k, k], dim=-2)``: keys grown by a KV cache."""
    if not positional(args):
        return UNKNOWN
    dim, _ = kwarg(args, "dim", 1)
    parts = _listed(args)
    if dim is not None and as_int(dim) != 0:
        joined = _padding_with_columns(ctx, parts) if parts is not None and as_int(dim) in (1, -1) else None
        if joined is None and parts is not None and as_int(dim) in (1, -1):
            joined = _memory_then_causal(ctx, parts)
        if joined is not None:
            return joined
        out = _kv_cache_cat(ctx)
        if not isinstance(out, (Mask, Tensor)) and parts is not None:
            return _same_dtype(ctx, parts) or _same_origin(parts) or _features_joined(parts, as_int(dim)) or out
        return out
    seq = ctx.node.args[0].value
    if parts is not None:
        # `torch.cat([uncond_keep, cond_keep])`: batches of the same kind of (N, ...) mask stacked
        first = parts[0]
        if all(isinstance(m, Mask) and m.dim0 == "N" and (m.dtype, m.true_set(), m.neg_set(), m.rank) ==
               (first.dtype, first.true_set(), first.neg_set(), first.rank) for m in parts):
            return ctx.step(first, f"torch.cat([{ctx.code(seq.elements[0].value)}, ...]): batches stacked")
        return UNKNOWN
    split = _head_split(ctx, seq)
    if split is not None:
        return split
    item = heads = None
    if isinstance(seq, cst.BinaryOperation) and isinstance(seq.operator, cst.Multiply):
        lst, heads = (seq.left, seq.right) if isinstance(seq.left, cst.List) else (seq.right, seq.left)
        if isinstance(lst, cst.List) and len(lst.elements) == 1:
            item = lst.elements[0].value
    elif isinstance(seq, cst.ListComp) and isinstance(seq.for_in.iter, cst.Call) and seq.for_in.inner_for_in is None:
        it = seq.for_in.iter
        if ctx.code(it.func) == "range" and len(it.args) == 1:
            item, heads = seq.elt, it.args[0].value
    if item is None or heads is None or not names.is_head_count(ctx.code(heads)):
        return UNKNOWN
    v = ctx.eval(item)
    text = f"torch.cat([...] * {ctx.code(heads)})"
    if isinstance(v, Mask):
        if v.dim0 == "1":
            return UNKNOWN
        return ctx.step(v, text, rank=3, dim0="NH", head_order="tile", head_node=ctx.node)
    if isinstance(v, (Tensor, Unknown)):
        return ctx.mk(Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, text, rank=3, dim0="NH",
                      head_order="tile", head_node=ctx.node)
    return UNKNOWN


def _head_split(ctx: Ctx, seq) -> Optional[Tensor]:
    """``torch.cat(x.split(d, dim=-1), dim=0)`` / ``torch.cat(torch.chunk(x, H, 2), 0)``: the
    heads' slices of the features stacked on the batch axis, head-major (h * B + b)."""
    if not (isinstance(seq, cst.Call) and call_name(seq) in ("split", "chunk")):
        return None
    method = isinstance(seq.func, cst.Attribute) and ctx.code(seq.func.value) != "torch"
    plain = [a.value for a in seq.args if a.keyword is None]
    dim = next((a.value for a in seq.args if a.keyword is not None and a.keyword.value == "dim"), None)
    at = 1 if method else 2
    if dim is None and len(plain) > at:
        dim = plain[at]
    if dim is None or ctx.code(dim) not in ("-1", "2") or not (method or plain):
        return None
    src = ctx.eval(seq.func.value if method else plain[0])
    return Tensor(source=src.origin if isinstance(src, Tensor) else None, heads="tile")


def _heads_into_batch(ctx: Ctx, base: str, pos, recv_node) -> bool:
    """``x.transpose(1, 2).reshape(B * H, L, d)`` (or ``.permute(0, 2, 1, 3)``, a ``.contiguous()``
    between or not; or ``.flatten(0, 1)`` after it): the heads moved next to the batch axis and
    folded into it, batch-major (b * H + h)."""
    node = recv_node
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "contiguous":
        node = node.func.value
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and (
            node.func.attr.value == "transpose" and sorted(ctx.code(a.value) for a in node.args) == ["1", "2"] or
            node.func.attr.value == "permute" and [ctx.code(a.value) for a in node.args] == ["0", "2", "1", "3"])):
        return False
    if base == "flatten":
        return [ctx.code(p[1]) for p in pos] == ["0", "1"]
    if not pos or not isinstance(pos[0][1], cst.BinaryOperation) or not isinstance(pos[0][1].operator, cst.Multiply):
        return False
    first = pos[0][1]
    factors = {ctx.code(first.left), ctx.code(first.right)}
    if any(names.is_head_count(f) for f in factors):
        return True
    # `t.view(b, n, h, d).transpose(1, 2).reshape(b * h, n, d)`: the view's first and third sizes multiplied
    split = node.func.value
    if isinstance(split, cst.Call) and isinstance(split.func, cst.Attribute) and \
            split.func.attr.value in ("view", "reshape") and len(split.args) == 4:
        return factors == {ctx.code(split.args[0].value), ctx.code(split.args[2].value)}
    return False


def _memory_then_causal(ctx: Ctx, parts) -> Optional[AV]:
    """``torch.cat([zeros(L, M), ones(L, L).triu(1)], dim=1)``: keys of a memory (or cache) every
    query sees, then a causal triangle over the segment: ``triu(ones(L, M + L), M + 1)``, the
    causal mask aligned bottom-right.  None when the parts are anything else."""
    if len(parts) != 2 or not all(isinstance(m, Mask) and not m.assumed for m in parts):
        return None
    memory, causal = parts
    allowed = {Region.LOWER: causal.inside, Region.SUPER: causal.outside}.get(causal.region)
    if allowed is None or causal.rank not in (2, None) or memory.region is not Region.ALL or \
            memory.inside is not allowed or memory.dtype is not causal.dtype:
        return None
    return ctx.step(causal, "torch.cat([memory keys every query sees, causal], dim=-1)")


def _block_diag(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.block_diag(*[torch.ones(n, n) for n in lengths])``: one block of the blocks' value per
    packed sequence, the blocks' zero across them: a same-group mask (``Region.SAME``), in the
    blocks' dtype (float 0/1 unless they are bool)."""
    blocks = []
    for value, node, keyword, star in args:
        if keyword is not None:
            return UNKNOWN
        if star and isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            value = ctx.eval(node.elt)
        elif star:
            value = element_of(value)
        blocks.append(value)
    if not blocks or not all(isinstance(b, Mask) and b.true_set() is Region.ALL for b in blocks):
        return UNKNOWN
    first = blocks[0]
    if any(b.dtype is not first.dtype or b.inside is not first.inside for b in blocks):
        return UNKNOWN
    off = Cell.FALSE if first.dtype is Dt.BOOL else Cell.ZERO
    return ctx.mk(first.dtype, Region.SAME, first.inside, off, "torch.block_diag(...): one block per packed sequence",
                  rank=2)


def _features_joined(parts, dim) -> Optional[AV]:
    """``torch.cat([x, day_of_year_features], dim=-1)``: features joined on the last axis keep the
    layout of the input they extend (batch and time where ``x`` has them)."""
    if dim != -1 or any(isinstance(t, Mask) or isinstance(t, Tensor) and (t.scores or t.probs) for t in parts):
        return None
    refs = [t.ref for t in parts if isinstance(t, Tensor) and t.ref is not None]
    return Tensor(ref=refs[0]) if refs and all(r == refs[0] for r in refs) else None


def _same_origin(parts) -> Optional[AV]:
    """Pieces of one projection put back together (a rotary embedding's
    ``torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1)``, ``torch.cat((-x2, x1), -1)``):
    still computed from that input, so ``q @ k^T`` of two of them is self-attention."""
    if not parts or not all(isinstance(t, Tensor) and not (t.scores or t.probs) for t in parts):
        return None
    origins = {t.origin for t in parts}
    if len(origins) != 1 or None in origins:
        return None
    return Tensor(source=origins.pop(), embedded=parts[0].embedded)


def _stack(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.stack([pack(row)[1] for row in rows])``: masks of the same kind stacked on a new first
    axis, one per sample when the list runs over samples (rows, examples, sequences...)."""
    pos = positional(args)
    dim, _ = kwarg(args, "dim", 1)
    if pos and dim is not None and as_int(dim) != 0:
        return _same_origin(_listed(args)) or UNKNOWN
    if not pos or (dim is not None and as_int(dim) != 0):
        return UNKNOWN
    seq, node = pos[0][0], pos[0][1]
    # one per sample only over what names samples (`for r in rows`); a list over windows, slopes
    # or heads stacks per-head masks, (H, L, S)
    per_sample = isinstance(node, (cst.ListComp, cst.GeneratorExp)) and \
        names.PER_SAMPLE_ITER.search(ctx.code(node.for_in.iter)) is not None
    parts = seq.items if isinstance(seq, TupleV) else ()
    first = parts[0] if parts else None
    if per_sample and parts and all(isinstance(t, Tensor) and t.padded_ids == first.padded_ids and t.padded_ids
                                    for t in parts):
        return Tensor(padded_ids=first.padded_ids)  # `torch.stack([F.pad(p, (L - len(p), 0), value=pad) ...])`
    if not isinstance(first, Mask) or not all(
            isinstance(m, Mask) and (m.dtype, m.true_set(), m.neg_set(), m.rank) ==
            (first.dtype, first.true_set(), first.neg_set(), first.rank) for m in parts):
        return UNKNOWN
    return ctx.step(first, "torch.stack([...])" + (": one mask per sample" if per_sample else ""),
                    rank=first.rank + 1 if first.rank else None, dim0="N" if per_sample else None)


def _combine_fn(op: str):
    """``torch.logical_and(a, b)`` is ``a & b`` on bool masks (any nonzero is True)."""
    def combine(ctx, args):
        pos = positional(args)
        if len(pos) != 2:
            return UNKNOWN
        a, b = pos[0][0], pos[1][0]
        a = algebra.convert(ctx, a, Dt.BOOL, "as bool") if isinstance(a, Mask) else a
        b = algebra.convert(ctx, b, Dt.BOOL, "as bool") if isinstance(b, Mask) else b
        return operators.binop(ctx, op, a, b, pos[0][1], pos[1][1])
    return combine


def _extreme_fn(which: str):
    """``torch.maximum(a, b)`` / ``torch.minimum``: on bool masks ``|`` / ``&``; on additive masks the
    minimum hides what either hides (like ``a + b`` without the overflow), the maximum only what both do."""
    def extreme(ctx, args):
        pos = positional(args)
        if len(pos) != 2:
            return UNKNOWN
        a, b = pos[0][0], pos[1][0]
        if which == "max" and isinstance(a, Mask) != isinstance(b, Mask):
            # `torch.maximum(bias, torch.tensor(finfo.min))`: an additive mask clamped into range
            m = a if isinstance(a, Mask) else b
            other = b if m is a else a
            if m.is_additive() and not (isinstance(other, Tensor) and (other.scores or other.probs)):
                return m
        if isinstance(a, Mask) != isinstance(b, Mask):
            # `tf.minimum(padding, causal)` with one side of unknown structure: 1 only inside the known
            # keep set; `ops.maximum(look_ahead, 1 - keep)`: 1 at least on all of the known block set
            known, other = (a, b) if isinstance(a, Mask) else (b, a)
            if isinstance(other, Tensor) and (other.scores or other.probs) or known.dtype is Dt.BOOL or \
                    known.is_additive() or not {known.inside, known.outside} <= {Cell.ZERO, Cell.ONE}:
                return UNKNOWN
            both = algebra.combine(ctx, "and" if which == "min" else "or",
                                   algebra.convert(ctx, known, Dt.BOOL, "!= 0"), operators.bool_unknown(ctx))
            if not isinstance(both, Mask):
                return UNKNOWN
            return algebra.as_numeric(both, known.dtype)
        if not (isinstance(a, Mask) and isinstance(b, Mask)):
            return UNKNOWN
        if a.dtype is Dt.BOOL and b.dtype is Dt.BOOL:
            return operators.binop(ctx, "or" if which == "max" else "and", a, b, pos[0][1], pos[1][1])
        if which == "min" and a.is_additive() and b.is_additive():
            return algebra.combine(ctx, "union", a, b)
        if which == "max" and a.is_additive() and b.is_additive():
            # `torch.maximum(future, padding)`: -inf only where both hide, an `&` of their hidden sets
            # (a causal part ANDed with padding hides only the future padding)
            both = algebra.combine(ctx, "and", _hidden_set(a), _hidden_set(b))
            if not isinstance(both, Mask) or Cell.OTHER in (both.inside, both.outside):
                return UNKNOWN
            return replace(both, dtype=Dt.FLOAT, inside=Cell.NEG if both.inside is Cell.TRUE else Cell.ZERO,
                           outside=Cell.NEG if both.outside is Cell.TRUE else Cell.ZERO,
                           neg_consts=a.neg_consts + b.neg_consts)
        if which == "min" and Dt.BOOL not in (a.dtype, b.dtype):
            return algebra.combine(ctx, "mul", a, b)  # two 0/1 keep masks: 1 where both are 1
        if which == "max" and Dt.BOOL not in (a.dtype, b.dtype) and Dt.UNKNOWN not in (a.dtype, b.dtype) and all(
                {m.inside, m.outside} <= {Cell.ZERO, Cell.ONE} for m in (a, b)):
            # `tf.maximum(padding, look_ahead)` of two 0/1 masks: 1 where either is 1
            either = algebra.combine(ctx, "or", algebra.convert(ctx, a, Dt.BOOL, "!= 0"),
                                     algebra.convert(ctx, b, Dt.BOOL, "!= 0"))
            if not isinstance(either, Mask):
                return UNKNOWN
            dt = Dt.FLOAT if Dt.FLOAT in (a.dtype, b.dtype) else Dt.INT
            return algebra.as_numeric(either, dt)
        return UNKNOWN
    return extreme


def _two_tensor(fn):
    """``torch.max(a, b)`` of two tensors is ``torch.maximum``; with a dim (``torch.max(x, -1)``)
    it is a reduction, unknown here."""
    def call(ctx, args):
        pos = positional(args)
        if len(pos) == 2 and not isinstance(pos[1][0], Const) and not any(a[2] == "dim" for a in args):
            return fn(ctx, args)
        return UNKNOWN
    return call


def _hidden_set(m: Mask) -> Mask:
    """An additive mask as the bool mask of what it hides (True at -inf)."""
    return replace(m, dtype=Dt.BOOL, inside=Cell.TRUE if m.inside is Cell.NEG else Cell.FALSE,
                   outside=Cell.TRUE if m.outside is Cell.NEG else Cell.FALSE)


def _unfold(ctx, args):
    """``F.unfold(torch.ones(...), kernel_size, padding=p)``: 1 at the window's real pixels, 0 at
    the zero padding around the image (lucidrains/halonet-pytorch#4): a keep mask."""
    pos = positional(args)
    pad, _ = kwarg(args, "padding", 3)
    if not pos or not isinstance(pos[0][0], Mask) or pos[0][0].true_set() is not Region.ALL:
        return UNKNOWN
    if pad is None or (isinstance(pad, Const) and pad.value in (0, (0, 0))):
        return UNKNOWN  # no padding: ones everywhere still
    src = pos[0][0]
    inside, outside = (Cell.TRUE, Cell.FALSE) if src.dtype is Dt.BOOL else (Cell.ONE, Cell.ZERO)
    return ctx.mk(src.dtype, Region.REAL, inside, outside, "F.unfold(ones, padding=...)", rank=3)


def _data_loader(ctx, args):
    """``DataLoader(data, collate_fn=collate)``: iterating it gives what ``collate`` returns for a
    batch (run here with the batch unknown), so a loop over it sees the masks the collate builds."""
    fn, _ = kwarg(args, "collate_fn", 6)
    fn = ctx.interp.force(fn) if fn is not None else None
    if isinstance(fn, FuncV) and fn.fn.cls is None:
        batch = ctx.interp.call_user(fn.fn, ctx.node, [(UNKNOWN, None, None, False)], ctx.frame)
    elif isinstance(fn, LambdaV):
        batch = ctx.call_lambda(fn, [UNKNOWN])
    else:
        return UNKNOWN
    return LoaderV(batch) if isinstance(batch, (TupleV, DictV, Mask, Tensor)) else UNKNOWN


def _pad_mask(ctx, args):
    """``F.pad(mask, (1, 0), value=True)``: the same mask with positions added (a CLS token).
    ``F.pad(torch.ones(...), (h, h))``: ones at the real positions and the pad value (0 unless
    given) at the added ones, a keep mask of real positions (halo attention's key windows)."""
    pos = positional(args)
    value, value_node = kwarg(args, "value", 3)
    spec = pos[1][1] if len(pos) > 1 else kwarg(args, "pad", 1)[1]
    side = _pad_side(spec)
    if pos and not isinstance(pos[0][0], Mask) and value_node is not None and side is not None and \
            names.PAD_NAME.search(ctx.code(value_node)) and not all(
                isinstance(e.value, cst.Integer) for e in spec.elements):
        # (`F.pad(labels[:, :-1], (1, 0), value=pad_id)` shifts in a start token: no padding)
        # `F.pad(torch.tensor(p), (L - len(p), 0), value=pad_id)`: one sample's ids, padded on one side
        return Tensor(padded_ids="left" if side == "left" else True)
    if not pos or not isinstance(pos[0][0], Mask) or pos[0][0].assumed:
        return UNKNOWN  # (a name's guess padded is not worth following: padding code knows its layout)
    m = pos[0][0]
    fill = 0 if value is None else value.value if isinstance(value, Const) else None
    if m.true_set() is Region.ALL and m.inside in (Cell.ONE, Cell.TRUE) and fill in (0, False):
        return ctx.step(m, "F.pad(ones, ...)" + (" on the left" if side == "left" else ""), region=Region.REAL,
                        outside=Cell.FALSE if m.dtype is Dt.BOOL else Cell.ZERO, key_axis=None, left=side == "left")
    return ctx.step(m, "F.pad(...)", key_axis=None)


def _pad_side(node) -> Optional[str]:
    """Which end of the last axis ``F.pad``'s ``(left, right)`` pads: "left" for ``(n, 0)``,
    "right" for ``(0, n)``; None for both, neither, or more axes."""
    if not isinstance(node, (cst.Tuple, cst.List)) or len(node.elements) != 2:
        return None
    zero = [isinstance(e.value, cst.Integer) and e.value.value == "0" for e in node.elements]
    return "left" if zero == [False, True] else "right" if zero == [True, False] else None


def _m_unfold(ctx, m, name, args, recv_node):
    """``mask.unfold(dim, size, step)``: sliding windows of the same values (one more axis)."""
    return ctx.step(m, f".unfold({', '.join(ctx.code(a[1]) for a in positional(args))})", rank=None, dim0=None,
                    key_axis=None)


def _einops(ctx, args):
    """``einops.rearrange`` / ``repeat`` of a mask: the same values, laid out as the pattern says
    (a layout this analysis does not read)."""
    pos = positional(args)
    if not pos:
        return UNKNOWN
    x = pos[0][0]
    pattern = pos[1][0] if len(pos) > 1 else None
    text = pattern.value if isinstance(pattern, Const) and isinstance(pattern.value, str) else "..."
    stacked = _einops_head_order(text)
    order = None
    if stacked is not None:
        # `repeat(m, "b l s -> (h b) l s", h=heads)`: heads stacked onto the batch axis of a
        # per-sample mask, or by an axis sized by a head count
        axis, order = stacked
        size = kwarg(args, axis)[1]
        if not (isinstance(x, Mask) and x.dim0 == "N" or names.EINOPS_HEAD_AXIS.match(axis) or
                size is not None and names.is_head_count(ctx.code(size))):
            order = None
    if isinstance(x, Mask):
        if order is not None:  # (its rank stays open: SDPA over heads folded into the batch takes 3-D)
            return ctx.step(x, f"einops({text!r})", rank=None, dim0=None, key_axis=None, head_order=order,
                            head_node=ctx.node)
        return ctx.step(x, f"einops({text!r})", rank=None, dim0=None, key_axis=None, head_order=None)
    if order is not None and isinstance(x, (Tensor, Unknown)) and not (isinstance(x, Tensor) and x.scores) and \
            names.MASKY_NAME.search(ctx.code(pos[0][1])):  # a mask or bias by its name, not q / k / v
        return ctx.mk(Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, f"einops({text!r})", rank=None, dim0=None,
                      head_order=order, head_node=ctx.node)
    if isinstance(x, Tensor):
        return Tensor(source=x.origin, scores=x.scores, embedded=x.embedded)
    return UNKNOWN


def _einops_head_order(pattern: str) -> Optional[Tuple[str, str]]:
    """How an einops pattern stacks another axis onto a mask's batch axis, for a 3-D result whose
    first axis merges the input's first axis (the batch) with one other: ``(h b)`` tiles them,
    heads outermost, like ``.repeat(h, 1, 1)``; ``(b h)`` interleaves them, like
    ``repeat_interleave``.  The other axis's name and "tile" or "interleave"; else None."""
    lhs, arrow, rhs = pattern.partition("->")
    if not arrow:
        return None
    before, after = names.EINOPS_AXES.findall(lhs), names.EINOPS_AXES.findall(rhs)
    if not before or len(after) != 3 or not after[0].startswith("("):
        return None
    merged = after[0].strip("()").split()
    if len(merged) != 2 or before[0] not in merged or merged[0] == merged[1]:
        return None
    other = merged[1] if merged[0] == before[0] else merged[0]
    return other, "interleave" if merged[0] == before[0] else "tile"


# --- torch.nn modules that are not attention ---------------------------------------------------
def _linear(ctx, args):
    out = kwarg(args, "out_features", 1)[1]
    return LinearV(vocab=bool(out is not None and names.VOCAB.search(ctx.code(out))),
                   out=ctx.code(out) if out is not None else "")


_LAYOUT_KEEPING = ("LayerNorm", "RMSNorm", "GroupNorm", "BatchNorm1d", "Dropout", "Identity", "GELU", "ReLU",
                   "SiLU", "Tanh", "Sigmoid", "Softplus", "Mish", "LeakyReLU", "ELU")


def _module_dict(ctx, args):
    pos = positional(args)
    first = pos[0][0] if pos else None
    return first if isinstance(first, DictV) else UNKNOWN


def _module_kind(v: AV):
    """What kind of layer ``v`` is: its class, its API, or its value type."""
    if isinstance(v, ObjV):
        return id(v.cls)
    if isinstance(v, Instance):
        return v.api.key
    return type(v).__name__


def _module_list(ctx, args):
    pos = positional(args)
    if len(pos) == 1 and isinstance(pos[0][1], (cst.List, cst.Tuple)) and len(pos[0][1].elements) >= 2 and \
            isinstance(pos[0][0], TupleV) and len({_module_kind(v) for v in pos[0][0].items}) > 1:
        # `nn.ModuleList([norm, Attention(d), FeedForward(d)])`: one block's layers by position
        # (lucidrains' `for attn, ff in self.layers:`), not a stack of one kind
        return TupleV(pos[0][0].items, modules=True)
    items = []
    for v, _, kw, _ in args:
        if isinstance(v, TupleV) and v.modules:
            items.append(v)
        elif isinstance(v, TupleV):
            items.extend(x for x in v.items)
        elif isinstance(v, (Instance, ObjV, ChoiceV, EmbeddingV)):
            items.append(v)  # a ChoiceV: `Attn(d) if i % k == 0 else SSM(d) for i in ...`, a hybrid stack
    if not items:
        return ModuleListV(UNKNOWN)
    item = items[0]
    for it in items[1:]:
        item = join(item, it)
    return ModuleListV(item)


def _passthrough(ctx, args):
    return passthrough(args)


# --- TensorFlow / Keras ------------------------------------------------------------------------
def _band_part(ctx, args):
    pos = positional(args)
    if len(pos) < 3:
        return UNKNOWN
    x, lo, hi = pos[0][0], pos[1][0], pos[2][0]
    if isinstance(lo, Const) and isinstance(hi, Const):
        if lo.value == -1 and hi.value == 0:
            return algebra.tri(ctx, x, "tril", Const(0), label="tf.linalg.band_part(x, -1, 0)")
        if lo.value == 0 and hi.value == -1:
            return algebra.tri(ctx, x, "triu", Const(0), label="tf.linalg.band_part(x, 0, -1)")
    return UNKNOWN


def _tf_constant(tail):
    def build(ctx, args):
        out = constant(ctx, tail, args)
        if isinstance(out, Mask) and out.evidence:
            ev = out.evidence[-1]
            out = replace(out, evidence=out.evidence[:-1] + (replace(ev, text=ev.text.replace("torch.", "tf.", 1)),))
        return out
    return build


def _tf_cast(ctx, args):
    pos = positional(args)
    if not pos:
        return UNKNOWN
    dt = dtype_of(kwarg(args, "dtype", 1)[0])
    x = pos[0][0]
    if isinstance(x, Mask) and dt is not None:
        return algebra.convert(ctx, x, dt, f"tf.cast(..., {dt.value})")
    return UNKNOWN


def _as_method(name: str):
    """``torch.<name>(t, ...)``: the method ``t.<name>(...)``."""
    def call(ctx, args):
        if args and args[0][2] is None and not args[0][3]:
            return method(ctx, args[0][0], name, list(args[1:]), args[0][1])
        return UNKNOWN
    return call


FUNCTIONS: Dict[str, Callable[[Ctx, List[Arg]], AV]] = {
    "builtins.float": _float,
    "builtins.len": _len,
    "builtins.getattr": _getattr,
    "builtins.enumerate": _enumerate,
    "builtins.dict": _dict,
    "builtins.zip": lambda ctx, args: ModuleListV(TupleV(tuple(element_of(a[0]) for a in positional(args)))),
    # `next(iter(loader))`: one batch of a DataLoader whose collate function is known
    "builtins.iter": lambda ctx, args: args[0][0] if args and isinstance(args[0][0], LoaderV) else UNKNOWN,
    "builtins.next": lambda ctx, args: args[0][0].batch if args and isinstance(args[0][0], LoaderV) else UNKNOWN,
    "builtins.int": _unknown,
    "builtins.max": _unknown,
    "builtins.min": _unknown,
    "copy.deepcopy": _copy,
    "copy.copy": _copy,
    "functools.partial": _partial,
    "torch.tril": _tri_fn("tril"),
    "torch.triu_indices": _tri_indices("triu"),
    "torch.tril_indices": _tri_indices("tril"),
    "torch.triu": _tri_fn("triu"),
    "torch.logical_not": _logical_not,
    "torch.bitwise_not": _logical_not,
    "torch.where": _where,
    "torch.arange": _arange,
    "torch.finfo": _finfo,
    "torch.iinfo": _finfo,
    "torch.matmul": lambda ctx, args: _matmul(ctx, args),
    "torch.bmm": lambda ctx, args: _matmul(ctx, args),
    "torch.einsum": _scores,
    "torch.baddbmm": _scores,
    "torch.cat": _cat,
    "torch.block_diag": _block_diag,
    "torch.stack": _stack,
    "torch.tensor": _tensor_of,
    "torch.as_tensor": _tensor_of,
    "torch.from_numpy": _tensor_of,
    "torch.logical_and": _combine_fn("and"),
    "torch.logical_or": _combine_fn("or"),
    "torch.maximum": _extreme_fn("max"),
    "torch.minimum": _extreme_fn("min"),
    "torch.max": _two_tensor(_extreme_fn("max")),
    "torch.min": _two_tensor(_extreme_fn("min")),
    "torch.nn.functional.unfold": _unfold,
    "torch.nn.utils.rnn.pad_sequence": lambda ctx, args: _pad_sequence(ctx, args),
    "torch.nn.functional.embedding": _f_embedding,
    "einops.rearrange": _einops,
    "einops.einsum": lambda ctx, args: _scores(ctx, list(args[-1:]) + list(args[:-1])) if args else UNKNOWN,
    "torch.nn.functional.pad": lambda ctx, args: _pad_mask(ctx, args),
    "torch.nn.functional.interpolate": lambda ctx, args: _resized_mask(ctx, args),
    "torch.masked_fill": lambda ctx, args: method(ctx, args[0][0], "masked_fill", list(args[1:]), args[0][1])
    if args and args[0][2] is None and not args[0][3] else UNKNOWN,
    "torch.cumsum": lambda ctx, args: _running_count(args[0][0]) if args else UNKNOWN,
    "torch.tile": lambda ctx, args: method(ctx, args[0][0], "tile", list(args[1:]), args[0][1])
    if args and args[0][2] is None and not args[0][3] else UNKNOWN,
    # the function forms of tensor methods: `torch.scatter(t, 1, idx, True)` is `t.scatter(1, idx, True)`
    **{f"torch.{m}": _as_method(m) for m in ("scatter", "clamp", "clip", "div", "divide")},
    # Meta-Llama's rotary embeddings: complex views of q and k are still q and k
    **{f"torch.{m}": (lambda ctx, args: _same_origin([a[0] for a in positional(args)[:1]]) or UNKNOWN)
       for m in ("view_as_complex", "view_as_real")},
    "torch.utils.data.DataLoader": _data_loader,
    "torch.utils.data.dataloader.DataLoader": _data_loader,
    "einops.repeat": _einops,
    "torch.nn.Embedding": lambda ctx, args: _embedding(ctx, args),
    "torch.nn.Linear": _linear,
    **{f"torch.nn.{rnn}": (lambda ctx, args: LinearV(recurrent=True)) for rnn in ("GRU", "LSTM", "RNN")},
    "torch.nn.modules.linear.Linear": _linear,
    # layers that keep their input's layout: a norm in `for norm, attn in zip(self.norms, self.attns)`
    **{f"torch.nn.{layer}": (lambda ctx, args: LinearV()) for layer in _LAYOUT_KEEPING},
    "torch.nn.ModuleDict": _module_dict,
    "torch.nn.ModuleList": _module_list,
    "torch.nn.Sequential": _module_list,
    **{f"torch.{op}": _compare_fn(op) for op in ("eq", "ne", "lt", "le", "gt", "ge")},
    **{q: square_subsequent for q in C.GENERATE_SQUARE_SUBSEQUENT_MASK},
}

def _data(ctx, args) -> AV:
    """Numbers computed from data (random ids, distances, norms): not a mask, and comparisons of
    them are bool masks."""
    return Tensor()


def _np_tri(which):
    """``np.tril(m, k=0)``: torch's tril with ``k`` for ``diagonal``."""
    fn = _tri_fn(which)

    def tri(ctx, args):
        return fn(ctx, [(v, n, "diagonal" if kw == "k" else kw, star) for v, n, kw, star in args])
    return tri


def _np_ones_tri(ctx, args):
    """``np.tri(n, m=None, k=0, dtype=float)``: ones on and below the k-th diagonal, zeros above
    (``torch.tril(torch.ones(n, m), k)``); float64 unless a dtype is given."""
    if not positional(args):
        return UNKNOWN
    dt_value, _ = kwarg(args, "dtype", 3)
    dt = dtype_of(dt_value) if dt_value is not None else Dt.FLOAT
    if dt is None or dt is Dt.UNKNOWN:
        return UNKNOWN
    one = Cell.TRUE if dt is Dt.BOOL else Cell.ONE
    ones = ctx.mk(dt, Region.ALL, one, one, "numpy.tri", rank=2, dim0="L")
    k, _ = kwarg(args, "k", 2)
    return algebra.tri(ctx, ones, "tril", k if k is not None else Const(0), label="numpy.tri")


#: NumPy's mask builders, by last component (the same meaning as torch's)
NUMPY_FUNCTIONS: Dict[str, Callable[[Ctx, List[Arg]], AV]] = {
    "tri": _np_ones_tri,
    "tril": _np_tri("tril"),
    "triu": _np_tri("triu"),
    "arange": _arange,
    "where": _where,
    "logical_not": _logical_not,
    "logical_and": _combine_fn("and"),
    "logical_or": _combine_fn("or"),
    "maximum": _extreme_fn("max"),
    "minimum": _extreme_fn("min"),
    **{np_name: _compare_fn(op) for np_name, op in (("equal", "eq"), ("not_equal", "ne"), ("less", "lt"),
                                                    ("greater", "gt"), ("less_equal", "le"), ("greater_equal", "ge"))},
    **{t: _data for t in ("norm", "abs", "sqrt", "exp", "sum", "mean", "dot", "matmul")},
}

#: by last component, anywhere under ``torch``
def _missing(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.isnan(x)``: the missing cells of a feature table or a series, like padding (True =
    missing); ``~torch.isnan(x)`` the observed ones."""
    pos = positional(args)
    if not pos:
        return UNKNOWN
    x = pos[0][0]
    return ctx.mk(Dt.BOOL, Region.PAD, Cell.TRUE, Cell.FALSE, f"torch.isnan({ctx.code(pos[0][1])}): the missing values",
                  rank=2, dim0="N", ref=x.ref if isinstance(x, Tensor) else None)


def _eye(ctx: Ctx, args: List[Arg]) -> AV:
    """``torch.eye(n[, m])``: 1 (True) on the diagonal, 0 elsewhere.  No region names the diagonal
    alone, so its cells are at unknown positions; combined with a known mask (``(future | pad) &
    ~eye``, ``keep | eye``) it reads like the known one (``algebra.combine``)."""
    pos = positional(args)
    if not pos or len(pos) > 2:
        return UNKNOWN
    dt = dtype_of(kwarg(args, "dtype")[0])
    if kwarg(args, "dtype")[1] is not None and dt is None:
        return UNKNOWN
    dt = dt or Dt.FLOAT
    inside, outside = (Cell.TRUE, Cell.FALSE) if dt is Dt.BOOL else (Cell.ONE, Cell.ZERO)
    sized = tuple(a[0].ref for a in pos[:2] if isinstance(a[0], Size))
    return ctx.mk(dt, Region.UNKNOWN, inside, outside, "torch.eye", rank=2, sized=sized)


ANY_TORCH: Dict[str, Callable[[Ctx, List[Arg]], AV]] = {
    "isnan": _missing,
    "eye": _eye,
    "cdist": lambda ctx, args: Tensor(index_axis="dist"),  # pairwise distances: compared, a ball query
    # random tensors (token ids, activations in a smoke test): data, not masks
    **{t: _data for t in ("randint", "randn", "rand", "randint_like", "randn_like")},
    "generate_square_subsequent_mask": square_subsequent,
    "softmax": _softmax,
    # position-wise layers (`F.linear(x, w)` of a functional model): they keep x's layout
    **{t: _passthrough for t in ("dropout", "layer_norm", "rms_norm", "relu", "gelu", "silu", "linear", "tanh")},
}

def _expand_dims(ctx, args):
    """``tf.expand_dims(m, axis)`` / ``keras.ops.expand_dims``: ``m.unsqueeze(axis)``."""
    pos = positional(args)
    axis, axis_node = kwarg(args, "axis", 1)
    if not pos or not isinstance(pos[0][0], Mask) or axis is None:
        return UNKNOWN
    return _m_unsqueeze(ctx, pos[0][0], "unsqueeze", [(axis, axis_node, None, False)], pos[0][1])


def _tf_reshape(ctx, args):
    """``tf.reshape(m, shape)``: ``m.reshape(shape)``."""
    pos = positional(args)
    if len(pos) < 2 or not isinstance(pos[0][0], Mask):
        return UNKNOWN
    return _m_reshape(ctx, pos[0][0], "reshape", [pos[1]], pos[0][1])


def _tf_squeeze(ctx, args):
    """``tf.squeeze(m, axis)`` / ``keras.ops.squeeze``: ``m.squeeze(axis)``."""
    pos = positional(args)
    if not pos or not isinstance(pos[0][0], Mask):
        return UNKNOWN
    axis, axis_node = kwarg(args, "axis", 1)
    rest = [(axis, axis_node, None, False)] if axis is not None else []
    return _m_squeeze(ctx, pos[0][0], "squeeze", rest, pos[0][1])


def _tf_tile(ctx, args):
    """``tf.tile(m, multiples)``: the same mask, repeated (over the batch, usually)."""
    pos = positional(args)
    if not pos or not isinstance(pos[0][0], Mask):
        return UNKNOWN
    return replace(pos[0][0], dim0=None)


TF_FUNCTIONS: Dict[str, Callable[[Ctx, List[Arg]], AV]] = {
    "band_part": _band_part,
    "einsum": _scores,
    "matmul": _scores,
    "where": _where,
    "softmax": _softmax,
    "reshape": _tf_reshape,
    "tile": _tf_tile,
    "minimum": _extreme_fn("min"),
    "maximum": _extreme_fn("max"),
    "expand_dims": _expand_dims,
    "squeeze": _tf_squeeze,
    "triu": _tri_fn("triu"),
    "tril": _tri_fn("tril"),
    "cast": _tf_cast,
    "logical_not": _logical_not,
    "range": _arange,
    "arange": _arange,
    "logical_and": _combine_fn("and"),
    "logical_or": _combine_fn("or"),
    **{t: _tf_constant(t) for t in ("ones", "zeros", "fill", "full", "ones_like", "zeros_like", "full_like")},
    **{tf: _compare_fn(op) for tf, op in (("equal", "eq"), ("not_equal", "ne"), ("less", "lt"), ("greater", "gt"),
                                          ("less_equal", "le"), ("greater_equal", "ge"))},
}


# --------------------------------------------------------------------------- methods
def method(ctx: Ctx, recv: AV, name: str, args: List[Arg], recv_node) -> AV:
    if name in ("update", "append") and recv_node is not None and names.KV_CACHE.search(ctx.code(recv_node)):
        # a Hugging Face Cache: `k, v = past_key_value.update(k, v, layer_idx)` returns every cached
        # step; so does a cache of the project's own (`k_all, v_all = cache.append(k, v)`)
        cached = Tensor(cached=True, source=ctx.code(recv_node))
        return TupleV((cached, cached))
    if name in ("masked_fill", "masked_fill_"):
        _bool_condition(ctx, *kwarg(args, "mask", 0))
    if isinstance(recv, Mask):
        return _mask_method(ctx, recv, name, args, recv_node)
    if isinstance(recv, (Tensor, Unknown)):
        return _tensor_method(ctx, recv, name, args, recv_node)
    return UNKNOWN


IDENTITY_METHODS = {
    "detach", "clone", "contiguous", "cuda", "cpu", "requires_grad_", "pin_memory", "to_dense",
    "squeeze_", "share_memory_", "clone_",
}
#: tensor methods that keep the sequence a tensor holds (only its heads, layout or dtype change)
_LENGTH_KEEPING = IDENTITY_METHODS | {"expand", "expand_as", "repeat_interleave", "repeat", "to", "float", "half",
                                      "bfloat16", "type_as", "view", "reshape", "transpose", "permute",
                                      "flatten", "unflatten"}
_TENSOR_KEEP = IDENTITY_METHODS | {"float", "long", "int", "half", "double", "bool", "type_as", "to", "type",
                                   "masked_fill", "masked_fill_", "mul", "add", "squeeze", "flatten"}


#: methods that leave bare scores bare: a copy, a cast, a move
_CASTS = IDENTITY_METHODS - {"squeeze_"} | {"float", "double", "half", "bfloat16", "to", "type_as", "type"}


def _mask_method(ctx: Ctx, m: Mask, name: str, args: List[Arg], recv_node) -> AV:
    if name in IDENTITY_METHODS:
        return m
    base = name.rstrip("_") if name.endswith("_") and name != "__call__" else name
    pos = positional(args)
    if base in ("new_ones", "new_zeros", "new_full") and m.dtype in (Dt.BOOL, Dt.INT, Dt.FLOAT):
        return constant(ctx, base[4:], args, default=m.dtype)  # `keep.new_ones(B, 1)`: the mask's own dtype
    fn = MASK_METHODS.get(base)
    if base in ("repeat", "tile", "expand") and len(pos) == 4 and _heads_major4(ctx, pos, recv_node, m):
        out = ctx.step(m, f".{name}({ctx.code(pos[0][1])}, ...)", rank=4, dim0="H", head_order="tile4",
                       head_node=ctx.node)
    elif base in ("view", "reshape", "flatten") and m.head_order == "tile4":
        out = ctx.step(m, f".{name}(...)", rank=3, dim0="NH", head_order="tile")
    elif base in algebra.CONVERT_METHODS and not pos:
        out = algebra.convert(ctx, m, algebra.CONVERT_METHODS[base], f".{name}()")
    elif fn is not None:
        out = fn(ctx, m, name, args, recv_node)
    else:
        out = UNKNOWN
    in_place = name.endswith("_") and not name.endswith("__") and base not in ("unsqueeze", "squeeze")
    if in_place and out is not m:
        if isinstance(out, Mask):
            ctx.rewrite(recv_node, out)  # masked_fill_, tril_ ...: the receiver now holds the result
        else:
            ctx.forget(recv_node)  # scatter_, index_fill_, copy_ ...: its cells are no longer known
    return out


def _m_copy(ctx, m, name, args, recv_node):
    """``buf.copy_(src)``: ``src``'s cells in ``buf``'s dtype (a buffer made with torch.empty and
    filled once)."""
    pos = positional(args)
    src = pos[0][0] if pos else None
    if not isinstance(src, Mask):
        return UNKNOWN
    if m.dtype in (Dt.BOOL, Dt.INT, Dt.FLOAT) and src.dtype is not m.dtype:
        return algebra.convert(ctx, src, m.dtype, ".copy_()")
    return ctx.step(src, ".copy_()")


def _m_to(ctx, m, name, args, recv_node):
    pos = positional(args)
    dv, dnode = kwarg(args, "dtype", None)
    if dv is None:
        for a in pos:
            if dtype_of(a[0]) is not None:
                dv = a[0]
    dt = dtype_of(dv) if dv is not None else None
    if dt is not None:
        return algebra.convert(ctx, m, dt, f".{name}({dt.value})")
    texts = [ctx.code(a[1]) for a in pos if a[1] is not None] + ([ctx.code(dnode)] if dnode is not None else [])
    if any(t.endswith("dtype") for t in texts):
        # .to(x.dtype) / .to(dtype): the activations' dtype, a float
        return algebra.convert(ctx, m, Dt.FLOAT, f".{name}({texts[0]})")
    if dv is not None:
        return replace(m, dtype=Dt.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER)
    return m  # .to(device)


def _m_type_as(ctx, m, name, args, recv_node):
    pos = positional(args)
    if pos and isinstance(pos[0][0], Mask):
        return algebra.convert(ctx, m, pos[0][0].dtype, ".type_as()")
    other = pos[0][0] if pos else None
    root = other.origin if isinstance(other, Tensor) else None
    if isinstance(other, Tensor) and not other.lengths and not other.padded_ids and (
            other.scores or other.probs or other.embedded or (
                root is not None and not names.TOKENISH.search(root) and not names.LENISH.search(root))):
        # `.type_as(memory)`: activations, scores, features (not token ids or lengths): a float mask
        return algebra.convert(ctx, m, Dt.FLOAT, f".type_as({ctx.code(pos[0][1])})")
    return UNKNOWN


def _diagonal(ctx, args, index: int) -> AV:
    """The ``diagonal`` of tril / triu.  ``k_len - q_len + 1`` (keys minus queries, as a KV cache
    aligns a causal mask bottom-right) is the causal offset 1 where the lengths are equal: read
    as 1 (``k_len - q_len`` as 0)."""
    d, node = kwarg(args, "diagonal", index)
    if d is None:
        return Const(0)
    if isinstance(d, LengthDiff):
        return Const(d.plus)  # `offset = kv_len - q_len; tril(diagonal=offset)`
    if as_int(d) is None and node is not None:
        m = names.LENGTH_DIFF_DIAGONAL.search(ctx.code(node))
        if m is not None:
            return Const(1 if m.group("one1") or m.group("one2") else 0)
    return d


def _m_tri(ctx, m, name, args, recv_node):
    return algebra.tri(ctx, m, name.rstrip("_"), _diagonal(ctx, args, 0))


def _m_not(ctx, m, name, args, recv_node):
    return algebra.invert(ctx, m, f".{name}()", logical=name.startswith("logical_not"))


def _m_compare(ctx, m, name, args, recv_node):
    pos = positional(args)
    if not pos:
        return UNKNOWN
    return operators.compare_values(ctx, m, pos[0][0], name.rstrip("_"), recv_node, pos[0][1])


def _m_masked_fill(ctx, m, name, args, recv_node):
    pos = positional(args)
    if len(pos) < 2:
        return UNKNOWN
    return algebra.masked_fill(ctx, m, pos[0][0], pos[1][0], pos[1][1], pos[0][1])


def _m_fill(ctx, m, name, args, recv_node):
    pos = positional(args)
    c = algebra.fill_cell(m, pos[0][0]) if pos else None
    if c is None:
        return UNKNOWN
    return ctx.step(m, f".fill_({ctx.code(pos[0][1])})", region=Region.ALL, inside=c, outside=c)


def _m_unsqueeze(ctx, m, name, args, recv_node):
    pos = positional(args)
    if not pos:
        return UNKNOWN
    if isinstance(pos[0][0], TupleV):
        # paddle's `mask.unsqueeze([1, 2])`: one new axis after another
        for v in pos[0][0].items:
            if as_int(v) is None:
                return replace(m, rank=None, dim0=None, key_axis=None)
            m = _m_unsqueeze(ctx, m, name, [(v, pos[0][1], None, False)], recv_node)
        return m
    d = as_int(pos[0][0])
    axis = None
    if m.rank is not None and d is not None and -m.rank - 1 <= d <= m.rank:
        at = d if d >= 0 else m.rank + 1 + d
        axis = m.axis_after([i for i in range(at)] + [None] + [i for i in range(at, m.rank)])
    return ctx.step(m, f".unsqueeze({ctx.code(pos[0][1])})", rank=m.rank + 1 if m.rank is not None else None,
                    dim0="1" if d == 0 else m.dim0, key_axis=axis)


def _m_squeeze(ctx, m, name, args, recv_node):
    return replace(m, rank=None if m.rank is None else (m.rank - 1 if positional(args) else None))


def _m_reshape(ctx, m, name, args, recv_node):
    base = name.rstrip("_")
    dims = positional(args)
    if len(dims) == 1 and isinstance(dims[0][0], TupleV):
        dims = [(v, None, None, False) for v in dims[0][0].items]
    rank = len(dims) if dims else None
    d0 = as_int(dims[0][0]) if dims else None
    dim0 = "1" if d0 == 1 else (m.dim0 if base == "expand" and d0 == -1 else None)
    if base == "expand" and m.dim0 in ("1", "N") and dims and isinstance(dims[0][0], Size):
        dim0 = "N"  # expanded (or kept) to the batch size taken from an input
    if base in ("view", "reshape") and len(dims) == 4 and m.rank in (None, 2) and d0 != 1 \
            and as_int(dims[1][0]) == 1 and as_int(dims[2][0]) == 1:
        # `mask.view(bs, 1, 1, S)`: a per-sample key mask extended to (N, 1, 1, S), as [:, None, None, :]
        return ctx.step(m, f".{name}(N, 1, 1, S)", rank=4, dim0="N", key_axis=-1 if m.is_padding_shaped() else 0)
    # expand keeps every axis where it was, counted from the end; a view or reshape may move them
    return replace(m, rank=rank, dim0=dim0, key_axis=m.key_axis if base == "expand" else 0)


def _m_expand_as(ctx, m, name, args, recv_node):
    return replace(m, rank=None, dim0=None)


def _m_repeat(ctx, m, name, args, recv_node):
    counts = positional(args)
    if len(counts) == 1 and isinstance(counts[0][1], (cst.Tuple, cst.List)):
        # `.tile((heads, 1, 1))`, `.repeat([h, 1, 1])`: the counts given as one sequence
        counts = [(ctx.eval(e.value), e.value, None, False) for e in counts[0][1].elements]
    if not counts:
        return UNKNOWN
    if len(counts) == 3 and m.dim0 != "1" and as_int(counts[0][0]) == 1 and as_int(counts[2][0]) == 1 and \
            isinstance(counts[1][1], cst.BinaryOperation) and isinstance(counts[1][1].operator, cst.Multiply) and \
            any(names.is_head_count(ctx.code(f)) for f in (counts[1][1].left, counts[1][1].right)):
        # `pad.unsqueeze(1).repeat(1, L * H, 1).view(-1, L, S)`: each sample's rows once per head, then
        # cut into (L, S) slices: stacked batch-major (b * H + h), as repeat_interleave does
        return ctx.step(m, f".repeat(1, {ctx.code(counts[1][1])}, 1)", head_order="interleave", head_node=ctx.node)
    if len(counts) == 3 and m.dim0 != "1" and _heads_tiled(ctx, counts, recv_node):
        return ctx.step(m, f".repeat({ctx.code(counts[0][1])}, 1, 1)", rank=3, dim0="NH", head_order="tile",
                        head_node=ctx.node)
    return replace(m, rank=max(len(counts), m.rank or 0), dim0=None if as_int(counts[0][0]) != 1 else m.dim0)


def _m_repeat_interleave(ctx, m, name, args, recv_node):
    if not positional(args):
        return UNKNOWN
    dim, dim_node = kwarg(args, "dim", 1)
    d = as_int(dim) if dim is not None else 0
    if dim_node is not None and d != 0:
        # `mask.unsqueeze(1).repeat_interleave(heads, dim=1)`: a head axis of its own, not stacked
        return ctx.step(m, f".repeat_interleave(..., dim={ctx.code(dim_node)})", dim0=m.dim0 if d else None)
    return ctx.step(m, ".repeat_interleave(...)", dim0="NH", head_order="interleave")


def _m_transpose(ctx, m, name, args, recv_node):
    base = name.rstrip("_")
    ints = [as_int(a[0]) for a in positional(args)]
    known = sorted(i for i in ints if i is not None) if None not in ints else None
    swap01 = swaps_first_two(base, ints)
    swap_last = base == "transpose" and known is not None and (
        (known == [0, 1] and m.rank in (2, None))
        or known == [-2, -1]
        or (m.rank is not None and known == [m.rank - 2, m.rank - 1])
    )
    if base == "permute" and m.rank == 2 and ints == [1, 0]:
        swap_last = True
    if name == "mT":
        swap_last, swap01 = True, m.rank == 2
    region = m.region
    if swap_last or base == "t":
        if m.rank is None and m.region in TRANSPOSE and not (base == "t" or name == "mT"):
            region = Region.UNKNOWN  # transpose(0, 1) of a mask of unknown rank: maybe (N*H, L, S)
        else:
            region = TRANSPOSE.get(m.region, m.region)
    if m.region in (Region.PAD, Region.REAL):
        region = m.region
    ref = m.ref.flip() if (m.ref is not None and swap01) else m.ref
    ta = m.token_axis()
    key_axis = ({-1: -2, -2: -1}.get(ta, 0) if swap_last or base == "t" else 0) if ta is not None else m.key_axis
    dim0 = m.dim0
    if m.rank == 2 and (swap01 or swap_last or base == "t") and m.dim0 == "S":
        dim0 = "N"  # a padding mask written (S, N), transposed, is (N, S)
    if region is m.region and ref == m.ref and key_axis == m.key_axis and dim0 == m.dim0:
        return m
    return ctx.step(m, f".{name}()", region=region, ref=ref, key_axis=key_axis, dim0=dim0)


def _m_arith(ctx, m, name, args, recv_node):
    pos = positional(args)
    if not pos:
        return UNKNOWN
    op = {"mul": "mul", "add": "add", "sub": "sub", "__and": "and", "logical_and": "and",
          "__or": "or", "logical_or": "or"}[name.rstrip("_")]
    return operators.binop(ctx, op, m, pos[0][0], recv_node, pos[0][1])


def _m_any_all(ctx, m, name, args, recv_node):
    """``(feats != 0).any(-1)``: a frame with any nonzero feature is real; ``(feats == 0).all(-1)``:
    one with none is padding.  Other reductions lose the structure."""
    dim, dim_node = kwarg(args, "dim", 0)
    d = as_int(dim)
    if m.region in (Region.REAL, Region.PAD) and m.dtype is Dt.BOOL and (d == -1 or m.rank and d == m.rank - 1) and \
            (name == "any") == (m.region is Region.REAL):
        # `(codes != 0).any(-1)`: a visit holding any real code is real; `(codes == 0).all(-1)`: one
        # holding none is padding (a group's padding from its tokens')
        return ctx.step(m, f".{name}({ctx.code(dim_node) if dim_node is not None else ''})",
                        rank=m.rank - 1 if m.rank else None, key_axis=None, ref=None)
    if m.region is not Region.UNKNOWN or m.dtype is not Dt.BOOL or not (d == -1 or (d == 2 and m.rank == 3)):
        return UNKNOWN  # over the features of (N, S, F) frames only
    test = names.ZERO_TEST.search(ctx.code(recv_node))
    if test is None or (test.group("op") == "!=" or test.group("method") == "ne") != (name == "any"):
        return UNKNOWN
    region = Region.REAL if name == "any" else Region.PAD
    return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"`{ctx.code(ctx.node)}`", rank=2, dim0="N",
                  ref=TensorRef(test.group("x")))


def _m_unknown(ctx, m, name, args, recv_node):
    return UNKNOWN


def _m_flatten(ctx, m, name, args, recv_node):
    """``mask.flatten(1)``: the leading dims kept, the rest in one."""
    start, _ = kwarg(args, "start_dim", 0)
    d = as_int(start) if start is not None else 0
    if d is None or kwarg(args, "end_dim", 1)[0] is not None:
        return replace(m, rank=None, key_axis=None)
    return ctx.step(m, f".flatten({d})", rank=d + 1, dim0=m.dim0 if d >= 1 else None, key_axis=None)


def _m_clamp(ctx, m, name, args, recv_node):
    """``bias.clamp(min=finfo.min)``: an additive mask kept in range, still the same mask; so is a
    0/1 mask (a union of summed 0/1 masks) clamped to at most 1 (``.clamp(max=1)``)."""
    if m.is_additive():
        return m
    hi, _ = kwarg(args, "max", 1 if name != "clamp_min" else None)
    if algebra.zero_one(m) and m.dtype is not Dt.BOOL and as_int(hi) == 1 and name != "clamp_min":
        return m
    return UNKNOWN


def _m_index_fill(ctx, m, name, args, recv_node):
    """``vis.index_fill(2, idx, True)`` of a bool mask: a value written along chosen rows or columns:
    the cells are not known any more, the shape is the mask's (the shape rules still hold)."""
    if m.dtype is not Dt.BOOL:
        return UNKNOWN  # `zeros_like(ids).index_fill_(1, first, bos)`: token ids, not a mask
    pos = positional(args)
    value = pos[2][0] if len(pos) >= 3 else kwarg(args, "value")[0]
    written = algebra.fill_cell(m, value) if value is not None else None
    if written is None:
        return replace(m, region=Region.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER, causal_source=False)
    if written is m.inside and m.region is Region.ALL:
        return m
    return ctx.step(m, f".{name}(...)", region=Region.UNKNOWN, inside=written,
                    outside=m.inside if m.region is Region.ALL else Cell.OTHER, causal_source=False)


def _m_scatter(ctx, m, name, args, recv_node):
    """``keep = zeros(B, M, dtype=bool); keep.scatter_(1, top_idx, True)``: the value written at the
    positions an index picks (top-k slots, routed experts, kept patches) into a constant mask: True
    at the selected positions, a keep set of no known shape.  ``ones(...).scatter_(1, idx, 0)`` is
    the reverse (MAE's removed patches: True where not kept)."""
    pos = positional(args)
    value = pos[2][0] if len(pos) >= 3 else kwarg(args, "value")[0]
    if value is None:
        value, _ = kwarg(args, "src")
    written = algebra.fill_cell(m, value) if value is not None else None
    if m.region is not Region.ALL or written is None or written is m.inside or written is Cell.OTHER:
        return replace(m, region=Region.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER, causal_source=False)
    return ctx.step(m, f".{name}(...): the positions the index selects", region=Region.KEEP_MIX, inside=written,
                    outside=m.inside, causal_source=False)


def _m_dim(ctx, m, name, args, recv_node):
    """``mask.dim()``: its rank, where known (and not a guess from a parameter's name)."""
    return Const(m.rank) if m.rank is not None and not m.assumed else UNKNOWN


MASK_METHODS: Dict[str, Callable] = {
    # `future.maximum(padding)`: torch.maximum(future, padding)
    "maximum": lambda ctx, m, name, args, recv_node: _extreme_fn("max")(ctx, [(m, recv_node, None, False)] + args),
    "minimum": lambda ctx, m, name, args, recv_node: _extreme_fn("min")(ctx, [(m, recv_node, None, False)] + args),
    "dim": _m_dim,
    **{op: _m_clamp for op in ("clamp", "clamp_min", "clip")},
    "flatten": _m_flatten,
    "to": _m_to,
    "copy": _m_copy,
    "type": _m_to,
    "astype": _m_to,
    "type_as": _m_type_as,
    "tril": _m_tri,
    "triu": _m_tri,
    "logical_not": _m_not,
    "bitwise_not": _m_not,
    **{op: _m_compare for op in ("eq", "ne", "lt", "le", "gt", "ge")},
    "masked_fill": _m_masked_fill,
    "fill": _m_fill,
    "index_fill": _m_index_fill,
    "scatter": _m_scatter,
    "unsqueeze": _m_unsqueeze,
    "squeeze": _m_squeeze,
    "view": _m_reshape,
    "reshape": _m_reshape,
    "expand": _m_reshape,
    "expand_as": _m_expand_as,
    "view_as": _m_expand_as,
    "reshape_as": _m_expand_as,
    "repeat": _m_repeat,
    "tile": _m_repeat,
    "repeat_interleave": _m_repeat_interleave,
    "transpose": _m_transpose,
    "permute": _m_transpose,
    "t": _m_transpose,
    "mT": _m_transpose,
    **{op: _m_arith for op in ("mul", "add", "sub", "__and", "logical_and", "logical_or", "__or")},
    "any": _m_any_all,
    "all": _m_any_all,
    "unfold": _m_unfold,
    "cumsum": lambda ctx, m, name, args, recv_node: _running_count(m),
    **{op: _m_unknown for op in ("flip", "roll", "sum", "max", "min", "mean", "size")},
}


def _running_count(m: AV) -> AV:
    """``(tokens == sep).cumsum(1)``, ``mask.cumsum(-1) - 1``: a running count of a mask is data,
    a segment id or a position per token (compared, it makes a same-segment mask), not a mask."""
    return Tensor(ref=m.ref if isinstance(m, (Mask, Tensor)) else None)


def _bias_masked(ctx: Ctx, t: AV, m: AV, fill: AV, pos, recv_node) -> Optional[AV]:
    """``bias.masked_fill(keep, -inf)`` on a learned bias (an embedding of distances, a relative
    position table): an additive mask, -inf where the bool mask is True, the bias's finite values
    (read as 0 next to -inf) elsewhere.  Not on attention scores: that is the masking itself."""
    named = "bias" in ctx.code(recv_node).lower()
    # an einsum named a bias (`bias = einsum("bijc,ch->bhij", pair, w)`, a pair bias per head) is
    # not the scores an einsum usually is
    if not (isinstance(t, (Tensor, Unknown)) and not (isinstance(t, Tensor) and (t.probs or t.scores and not named))
            and isinstance(m, Mask) and m.dtype is Dt.BOOL
            and not m.assumed and isinstance(fill, Const) and isinstance(fill.value, (int, float))
            and fill.value <= -1e4):
        return None
    if not ((isinstance(t, Tensor) and t.embedded) or named):
        return None
    learned = ctx.mk(Dt.FLOAT, Region.ALL, Cell.ZERO, Cell.ZERO, f"`{ctx.code(recv_node)}`: a learned bias",
                     rank=t.rank if isinstance(t, Tensor) else None)
    return algebra.masked_fill(ctx, learned, m, fill, pos[1][1], pos[0][1])


#: reductions over one dimension: over dimension 1 of a sequence-first output, they pool the batch
_REDUCTIONS = frozenset({"mean", "sum", "max", "amax", "logsumexp", "nanmean"})


def _tensor_method(ctx: Ctx, t: AV, name: str, args: List[Arg], recv_node) -> AV:
    ref = t.ref if isinstance(t, Tensor) else None
    base = name[:-1] if name.endswith("_") else name
    pos = positional(args)
    if isinstance(t, Tensor) and t.bare and name in usage.MASKING_IN_PLACE and \
            isinstance(recv_node, (cst.Name, cst.Attribute)):
        ctx.rewrite(recv_node, replace(t, bare=False))  # `att.masked_fill_(...)`: the scores are bare no longer
    if base in ("view", "reshape", "flatten") and isinstance(t, Tensor) and not (t.scores or t.probs) and \
            _heads_into_batch(ctx, base, pos, recv_node):
        return replace(t, heads="interleave", ref=None, source=t.origin)
    if isinstance(t, Tensor) and t.seq_first is not None and name in _REDUCTIONS:
        dim, _ = kwarg(args, "dim", 0)
        if as_int(dim) == 1:
            ctx.constant("batch_axis_pooled", Const(t.seq_first[1]), t.seq_first[0])  # `h.mean(dim=1)`
    if name == "size":
        if not pos:
            return ShapeV(ref)
        d = as_int(pos[0][0])
        return Size(SizeRef(ref, d), ctx.node) if ref is not None and d is not None and d >= 0 else UNKNOWN
    if base == "masked_fill" and len(pos) >= 2:
        upcast = isinstance(t, Tensor) and t.fp32
        m, fill = pos[0][0], pos[1][0]
        bias = _bias_masked(ctx, t, m, fill, pos, recv_node)
        if bias is not None:
            return bias  # a learned bias made an additive mask: its consumer reads it
        if isinstance(t, Tensor) and isinstance(t.labels, tuple) and isinstance(m, Mask) and m.dtype is Dt.BOOL:
            # `attn_mask.masked_fill(attn_mask != 0, -100.0)` on labels subtracted pair by pair (Swin):
            # 0 where two positions share a region, the filled value where the mask says
            rank, dim0 = t.labels
            diffs = ctx.mk(Dt.FLOAT, Region.SAME, Cell.ZERO, Cell.OTHER,
                           f"`{ctx.code(recv_node)}`: 0 where two positions share a label", rank=rank, dim0=dim0)
            return algebra.masked_fill(ctx, diffs, m, fill, pos[1][1], pos[0][1])
        masked_fill_on_scores(ctx, pos[0][0], pos[0][1], pos[1][0], pos[1][1], upcast=upcast, scores=t)
        if isinstance(t, Tensor) and t.scores and t.rank == 4 and isinstance(m, Mask) and m.rank == 3 and \
                m.dim0 == "N" and not m.assumed:
            # a per-sample (N, L, S) mask against (N, H, L, S) scores: broadcasting meets N with H (ML301)
            ctx.constant("rank_mismatch", Const(4), pos[0][1], m)
        zeroed = None
        if isinstance(t, Tensor) and t.scores and not t.probs and isinstance(fill, Const) and \
                type(fill.value) in (int, float) and fill.value == 0 and isinstance(m, Mask) and m.dtype is Dt.BOOL:
            # `scores.masked_fill(pad, 0.0)` before the softmax: the hidden scores are 0, weight exp(0)
            kept = algebra.invert(ctx, m, sinks.ZERO_FILLED)
            zeroed = (kept, pos[0][1]) if isinstance(kept, Mask) else None
        out = Tensor(ref=ref, scores=isinstance(t, Tensor) and t.scores, fp32=upcast, zeroed=zeroed,
                     source=t.source if isinstance(t, Tensor) else None)
        if zeroed is not None and name.endswith("_") and isinstance(recv_node, (cst.Name, cst.Attribute)):
            ctx.rewrite(recv_node, out)  # `w.masked_fill_(pad, 0)`: w itself now holds the zeros
        return out
    if base in ("eq", "ne", "lt", "le", "gt", "ge") and pos:
        return operators.compare_values(ctx, t, pos[0][0], base, recv_node, pos[0][1])
    if base in ("new_ones", "new_zeros", "new_full", "new_empty"):
        return constant(ctx, base[4:], args)
    if base in ("repeat", "tile", "expand") and len(pos) == 4 and _heads_major4(ctx, pos, recv_node, None):
        return ctx.mk(Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, f".{name}({ctx.code(pos[0][1])}, ...)",
                      rank=4, dim0="H", head_order="tile4", head_node=ctx.node)
    if base in ("repeat", "tile") and len(pos) == 3 and _heads_tiled(ctx, pos, recv_node):
        return ctx.mk(Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, f".repeat({ctx.code(pos[0][1])}, 1, 1)",
                      rank=3, dim0="NH", head_order="tile", head_node=ctx.node)
    if isinstance(t, Tensor) and t.index_axis == "dist":
        # distances stay distances through monotone steps (a squared distance, a masked cell)
        return t if base in ("masked_fill", "clamp", "clamp_min", "clamp_max", "sqrt", "pow", "square") else UNKNOWN
    if isinstance(t, Tensor) and t.index_axis is not None:
        if base in ("div", "divide") and len(pos) == 1 and \
                isinstance(kwarg(args, "rounding_mode")[0], Const) and kwarg(args, "rounding_mode")[0].value == "floor":
            # `arange(n).div(chunk, rounding_mode="floor")`: `arange(n) // chunk`, positions by block
            return operators.binop(ctx, "floordiv", t, pos[0][0], recv_node, pos[0][1])
        return _index_method(t, base, pos)
    if isinstance(t, Tensor) and t.ref is not None and not (t.scores or t.probs or t.padded_ids or t.lengths):
        if base in ("abs", "square", "pow"):
            return Tensor(ref=ref)  # |x|, x ** 2: the features' layout, zero where x is zero
        if base in ("sum", "amax") and isinstance(recv_node, cst.Call) and \
                ctx.code(recv_node.func).endswith((".abs", ".square", ".pow")) and \
                as_int(kwarg(args, "dim", 0)[0]) == -1:
            # `feats.abs().sum(-1)`: one number per frame, 0 at the all-zero frames a collate padded
            return Tensor(ref=ref, padded_ids=True)
    if isinstance(t, Tensor) and t.cached and base in _LENGTH_KEEPING:
        # `k.expand(-1, heads, -1, -1)` of keys grown by a KV cache (multi-query / grouped-query
        # attention): still the cached keys
        return Tensor(cached=True, source=t.source)
    if isinstance(t, Tensor) and t.lengths:
        if base in ("unsqueeze", "to", "long", "view", "cuda", "reshape"):
            return t
        if base in ("max", "sum"):
            return UNKNOWN
    if base in ("transpose", "permute", "t") and ref is not None:
        swap01 = swaps_first_two(base, [as_int(a[0]) for a in pos])
        if swap01 or base != "permute":
            return Tensor(ref=ref.flip() if swap01 else ref, embedded=t.embedded)
        return Tensor()
    if base == "sum" and isinstance(recv_node, cst.BaseExpression) and "mask" in ctx.code(recv_node):
        return Tensor(lengths=True)
    if name in _TENSOR_KEEP and isinstance(t, Tensor):
        fp32 = base in ("float", "double") or (base == "to" and any(
            dtype_of(a[0]) is Dt.FLOAT and ctx.code(a[1]).endswith(("float32", "float64", "float", "double"))
            for a in pos)) or (t.fp32 and base not in ("half", "bfloat16", "to", "type_as"))
        # (a view of pieces put back together keeps the input they came from: `stack(...).flatten(-2)`)
        return Tensor(ref=ref, embedded=t.embedded, scores=t.scores, probs=t.probs, fp32=fp32,
                      source=t.source if ref is None else None, bare=t.bare and base in _CASTS, heads=t.heads)
    if base == "softmax":
        softmax_of(ctx, t)
        return Tensor(ref=ref, probs=isinstance(t, Tensor) and (t.scores or t.probs))
    if base in ("split", "chunk", "unbind") and (not isinstance(t, Tensor) or t.origin is None) and \
            isinstance(recv_node, cst.Call) and not (isinstance(t, Tensor) and (t.scores or t.probs)):
        # `self.qkv(x).split(D, -1)` of an input we cannot name: q, k and v still share one source
        return SplitV(ctx.code(recv_node), False)
    if name == "forward" or not isinstance(t, Tensor):
        return UNKNOWN
    if (t.scores or t.probs) and base in ("view", "reshape", "view_as", "reshape_as", "unflatten", "flatten"):
        # fairseq's `attn_weights.view(bsz, num_heads, tgt_len, src_len)`: still the scores
        rank = len(pos) if base in ("view", "reshape") and len(pos) > 1 else None
        return Tensor(ref=ref, scores=t.scores, probs=t.probs, fp32=t.fp32, zeroed=t.zeroed, source=t.source, rank=rank,
                      bare=t.bare)
    if t.origin is not None:
        if base in ("split", "chunk", "unbind", "tensor_split"):
            return SplitV(t.origin, t.embedded)
        # views, reshapes, projections: the layout is unknown, the origin is not (nor the float32
        # of upcast scores: `.float().div(math.sqrt(d))`)
        return Tensor(source=t.origin, scores=t.scores, embedded=t.embedded, fp32=t.fp32)
    return UNKNOWN


def _index_method(t: Tensor, base: str, pos) -> AV:
    """Methods of ``arange`` index vectors: which axis of the (query, key) grid they index."""
    if t.index_axis in ("diff", "rdiff") and base == "abs":
        return Tensor(index_axis="absdiff")
    if base == "unsqueeze" and pos:
        d = as_int(pos[0][0])
        axis = "k" if d == 0 else ("q" if d in (1, -1) else None)
        return replace(t, index_axis=axis)
    if base in ("view", "reshape") and len(pos) == 2:
        a, b = as_int(pos[0][0]), as_int(pos[1][0])
        if a == 1:
            return replace(t, index_axis="k")
        if b == 1:
            return replace(t, index_axis="q")
    if base in ("to", "expand", "long", "int", "float", "type_as", "cuda", "repeat"):
        return t
    return UNKNOWN


def swaps_first_two(base: str, ints) -> bool:
    """``t()``, ``transpose(0, 1)`` or ``permute(1, 0, ...)``: dims 0 and 1 change places."""
    if base == "t":
        return True
    if base == "transpose":
        return None not in ints and sorted(ints) == [0, 1]
    return base == "permute" and ints[:2] == [1, 0]


def _heads_major4(ctx: Ctx, counts, recv_node, m) -> bool:
    """``m.unsqueeze(0).repeat(num_heads, 1, 1, 1)`` (or expand): heads outermost, then batch."""
    if not names.is_head_count(ctx.code(counts[0][1])):
        return False
    if not all(as_int(c[0]) in (1, -1) or not isinstance(c[0], Const) for c in counts[1:]):
        return False
    return names.adds_leading_dim(ctx.code(recv_node)) or (m is not None and m.dim0 == "1" and m.rank == 4)


def _heads_tiled(ctx: Ctx, counts, recv_node) -> bool:
    """``x.repeat(num_heads, 1, 1)``: tiles per-sample masks head-major."""
    if not names.is_head_count(ctx.code(counts[0][1])):
        return False
    recv = ctx.code(recv_node)
    # `pad.unsqueeze(1).repeat(H, L, 1)`: the query axis added as 1 is filled out while tiling
    rest = counts[2:] if names.adds_query_dim(recv) else counts[1:]
    if not all(as_int(c[0]) == 1 for c in rest):
        return False
    return not names.adds_leading_dim(recv)
