"""Python operator semantics on abstract values: comparisons, unary and binary operators, and
subscripts (``mask[:, None, None, :]``, ``x.shape[1]``, ``batch["attention_mask"]``)."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Optional

from masklint._libcst import cst, walk

from masklint import conventions as C
from masklint.analysis import algebra, names, sources
from masklint.analysis.ctx import Ctx
from masklint.analysis.modules import dotted
from masklint.analysis.sinks import head_mask_product, scores_plus_mask
from masklint.analysis.values import (
    ANY_KEY,
    AV,
    UNKNOWN,
    choice,
    NoneFlag,
    Cell,
    Const,
    DictV,
    EmbeddingV,
    Instance,
    ObjV,
    DType,
    Dt,
    Mask,
    ModuleListV,
    Region,
    ShapeV,
    Size,
    SizeRef,
    Tensor,
    TensorRef,
    LengthDiff,
    TupleV,
    Unknown,
    bool_cell,
    num_cell,
    scores_source,
    embedded_ids,
)

SYMBOL = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
FLIP = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le", "eq": "eq", "ne": "ne"}
# LibCST's operator classes by name (naming the classes would import LibCST with this module)
_CST_COMPARE = {
    "Equal": "eq", "NotEqual": "ne", "LessThan": "lt", "LessThanEqual": "le", "GreaterThan": "gt",
    "GreaterThanEqual": "ge",
}
_CST_BINOP = {
    "Add": "add", "Subtract": "sub", "Multiply": "mul", "Divide": "div", "BitAnd": "and",
    "BitOr": "or", "MatrixMultiply": "matmul", "FloorDivide": "floordiv",
    # augmented assignment: ``scores += mask``, ``keep &= same_doc``
    "AddAssign": "add", "SubtractAssign": "sub", "MultiplyAssign": "mul", "DivideAssign": "div",
    "BitAndAssign": "and", "BitOrAssign": "or", "MatrixMultiplyAssign": "matmul",
}
_CELL_NUMBER = {Cell.TRUE: 1, Cell.FALSE: 0, Cell.ZERO: 0, Cell.ONE: 1, Cell.NEG: algebra.NEG_INF}


# --------------------------------------------------------------------------- comparisons
def compare(ctx: Ctx, node: cst.Comparison) -> AV:
    left = ctx.eval(node.left)
    if len(node.comparisons) != 1:
        for c in node.comparisons:
            ctx.eval(c.comparator)
        return UNKNOWN
    comp = node.comparisons[0]
    right = ctx.eval(comp.comparator)
    if isinstance(comp.operator, (cst.Is, cst.IsNot)):
        return _none_test(ctx, left, right, isinstance(comp.operator, cst.Is), node.left)
    op = _CST_COMPARE.get(type(comp.operator).__name__)
    if op is None:
        return UNKNOWN
    return compare_values(ctx, left, right, op, node.left, comp.comparator)


def _none_test(ctx: Ctx, left, right, is_: bool, left_node) -> AV:
    """``mask is None`` in a call with the caller's values: known when the mask is one the code
    built and no path leaves it None (a guess from a name, or a maybe-None mask, stays unknown)."""
    if not (isinstance(right, Const) and right.value is None):
        return UNKNOWN
    if isinstance(left_node, cst.Name):
        ctx.frame.none_tested.add(left_node.value)  # for the run with the optional mask left out
    decided = isinstance(left_node, cst.Name) and left_node.value in ctx.frame.decided
    if (ctx.frame.concrete or decided) and (isinstance(left_node, cst.Name) or isinstance(left, Mask)):
        # (not `self.cache is None`: an attribute another method may have set since)
        if isinstance(left, Const):
            return Const(is_ if left.value is None else not is_)  # `seq_len is not None` with seq_len=16
        if isinstance(left, Mask) and not left.assumed and not left.maybe_none:
            return Const(not is_, none_of=left if is_ else None)  # `is_causal = mask is None`: False, for this mask
        if isinstance(left, (ObjV, Instance)) and isinstance(left_node, cst.Name) and \
                ctx.frame.incoming.get(left_node.value) is left:
            # `processor if processor is not None else Default()`, the caller passing an instance (a
            # local joined from `Foo() if flag else None` may still be None: not decided)
            return Const(not is_)
    if is_ and isinstance(left, Mask) and isinstance(left_node, cst.Name):
        return NoneFlag(left, ctx.node)  # `is_causal = attention_mask is None`
    return UNKNOWN


_OP_TEXT = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "==", "ne": "!="}
#: a distance (|i - j|, a point-cloud distance) compared with a width: inside or outside the window
_WINDOW = {"gt": Region.FAR, "ge": Region.FAR, "lt": Region.NEAR, "le": Region.NEAR}


def compare_values(ctx: Ctx, left, right, op: str, lnode, rnode) -> AV:
    if isinstance(left, Const) and isinstance(right, Const) and all(
            type(v.value) in (int, float, bool, str) for v in (left, right)):
        try:  # `attention_mask.dim() == 4` with the rank known
            return Const({"eq": left.value == right.value, "ne": left.value != right.value,
                          "lt": left.value < right.value, "le": left.value <= right.value,
                          "gt": left.value > right.value, "ge": left.value >= right.value}[op])
        except TypeError:
            return UNKNOWN
    if op in ("eq", "ne") and isinstance(left, DType) and isinstance(right, DType):
        # `mask.dtype == torch.bool`: known where the mask's dtype is (float16 vs float32 is not)
        a, b = left.dt, right.dt
        if Dt.UNKNOWN not in (a, b) and (a is not b or a is Dt.BOOL):
            return Const((a is b) == (op == "eq"))
        return UNKNOWN
    if isinstance(right, Mask) and not isinstance(left, Mask):
        left, right, lnode, rnode, op = right, left, rnode, lnode, FLIP[op]
    if isinstance(left, Mask):
        return _mask_vs_constant(ctx, left, right, op, rnode)
    if op in ("eq", "ne") and isinstance(left, Tensor) and isinstance(left.labels, tuple) and \
            isinstance(right, Const) and right.value == 0:
        # `(labels[:, None] - labels[:, :, None]) != 0`: Swin's shifted-window regions, pair by pair
        rank, dim0 = left.labels
        return ctx.mk(Dt.BOOL, Region.SAME if op == "eq" else Region.OTHER, Cell.TRUE, Cell.FALSE,
                      f"`{ctx.code(lnode)} {SYMBOL[op]} 0`: same region or not", rank=rank, dim0=dim0)
    la = left.index_axis if isinstance(left, Tensor) else None
    ra = right.index_axis if isinstance(right, Tensor) else None
    if la == "dist" or ra == "dist":
        # `torch.cdist(xyz, xyz) <= radius`: a ball query, the local window of points (batched)
        if ra == "dist":
            op = FLIP[op]
        region = _WINDOW.get(op)
        radius = right if la == "dist" else left
        if region is None or (la and ra) or (isinstance(radius, Const) and isinstance(radius.value, (int, float))
                                             and radius.value <= 0):
            return UNKNOWN  # `dist > 0`: every other point, not a neighbourhood
        return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE,
                      f"distance {'>' if region is Region.FAR else '<='} radius")
    negated = False
    if la == "rdiff" or ra == "rdiff":
        # j - i OP c is i - j FLIP(OP) -c: read as i - j, with the constant's sign turned
        if la == "rdiff":
            la, op = "diff", FLIP[op]
        else:
            ra, op = "diff", FLIP[op]
        negated = True
    if la in ("absdiff", "diff") or ra in ("absdiff", "diff"):
        # |i - j| <= w, or a one-sided i - j < w (a local window written without abs)
        if ra in ("absdiff", "diff"):
            op = FLIP[op]
        if "diff" in (la, ra) and la and ra:
            return bool_unknown(ctx)
        other = right if la in ("absdiff", "diff") else left
        if "diff" in (la, ra) and isinstance(other, Const) and other.value == 0:
            # i - j against 0: a triangle (i - j >= 0 is j <= i, the causal keep set)
            tri = {"ge": Region.LOWER, "gt": Region.SUB, "le": Region.UPPER, "lt": Region.SUPER}.get(op)
            if tri is not None:
                return ctx.mk(Dt.BOOL, tri, Cell.TRUE, Cell.FALSE, f"i - j {_OP_TEXT.get(op, op)} 0", rank=2, dim0="L")
        region = _WINDOW.get(op)
        if region is None:
            return UNKNOWN
        other_node = rnode if la in ("absdiff", "diff") else lnode
        if "diff" in (la, ra) and (isinstance(other_node, cst.UnaryOperation) and
                                   isinstance(other_node.operator, cst.Minus)) != negated:
            # `rel < -left`: beyond the window on the other side, not inside it
            region = Region.FAR if region is Region.NEAR else Region.NEAR
        return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE,
                      f"{'|i - j|' if 'absdiff' in (la, ra) else 'i - j'} {'>' if region is Region.FAR else '<='} "
                      "window", rank=2, dim0="L")
    if op in ("eq", "ne") and not (la and ra) and not isinstance(left, (Const, Mask)) and not isinstance(right, (Const, Mask)):
        same = _same_group(ctx, op, lnode, rnode)
        if same is not None:
            return same
    if la and ra and (left.blocks or right.blocks):
        # frame indices (`frame_of[:, None] < frame_of[None, :]`): the same comparison by whole blocks
        if op in ("eq", "ne"):
            region = Region.SAME if op == "eq" else Region.OTHER
            return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"query block {SYMBOL[op]} key block", rank=2,
                          dim0="L")
        m = _indices_compared(ctx, la, ra, op, left.shift, right.shift)  # `k < q - left_chunks`: chunks behind
        return ctx.step(m, BY_BLOCKS) if isinstance(m, Mask) else m
    if la and ra:
        return _indices_compared(ctx, la, ra, op, left.shift, right.shift)
    if la or ra:
        return _position_vs_length(ctx, left, right, lnode, rnode, op, la)
    if op in ("eq", "ne") and not isinstance(left, Const):
        m = _token_padding(ctx, left, right, lnode, rnode, op)
        if m is not None:
            return m
    if isinstance(left, Tensor) or isinstance(right, Tensor) or _tensor_reduction(lnode) or _tensor_reduction(rnode):
        return bool_unknown(ctx)
    return UNKNOWN


_REDUCTIONS = frozenset({"sum", "mean", "abs", "amax", "amin", "norm", "count_nonzero", "cumsum"})


def _tensor_reduction(node) -> bool:
    """``x.sum(axis=2)`` / ``feats.abs().sum(-1)``: a tensor, whatever ``x`` is known to be (a
    comparison of it is a bool mask)."""
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
        node.func.attr.value in _REDUCTIONS and bool(node.args)


def _mask_vs_constant(ctx: Ctx, m: Mask, right, op: str, rnode) -> AV:
    c = algebra.const_cell(right)
    if c is None:
        return UNKNOWN
    ref = _CELL_NUMBER.get(c)

    def test(cell):
        if cell is Cell.OTHER or ref is None:
            return None
        num = _CELL_NUMBER[cell]
        return {"eq": num == ref, "ne": num != ref, "lt": num < ref, "le": num <= ref, "gt": num > ref,
                "ge": num >= ref}[op]

    shown = ctx.code(rnode) or "?"
    return ctx.step(m, f"{SYMBOL[op]} {shown}", dtype=Dt.BOOL, inside=bool_cell(test(m.inside)),
                    outside=bool_cell(test(m.outside)))


#: evidence of a comparison of block indices (`arange(n) // block`): whole blocks see each other
BY_BLOCKS = "by blocks of positions (index // block)"


def _indices_compared(ctx: Ctx, la: str, ra: str, op: str, ls, rs) -> AV:
    """Two position indices compared, each shifted (``ls``, ``rs``: a constant, or ``"-w"`` /
    ``"+w"`` for a window's width)."""
    if isinstance(ls, int) and isinstance(rs, int) and abs(ls - rs) > 1:
        # `j <= i - 32`: a window of a known width, read like one of unknown width
        ls, rs = ("-w" if ls - rs < 0 else "+w", 0)
    if isinstance(ls, str) or isinstance(rs, str):
        return _index_vs_window(ctx, la, ra, op, ls, rs)
    return _index_vs_index(ctx, la, ra, op, ls - rs)


def _index_vs_index(ctx: Ctx, la: str, ra: str, op: str, shift: int = 0) -> AV:
    """``arange(L)[:, None] >= arange(S)[None, :]``: a triangle of the (query, key) grid.
    ``shift``: the left index minus the right one's constant (``j < (i + 1)[:, None]`` has -1)."""
    la = "k" if la == "1d" else la
    ra = "k" if ra == "1d" else ra
    if la == ra:
        return UNKNOWN
    if la == "k":
        op, shift = FLIP[op], -shift
    # now: i (query) + shift OP j (key); integer indices: i + 1 <= j is i < j, i - 1 < j is i <= j
    if shift:
        op = {(1, "le"): "lt", (1, "gt"): "ge", (-1, "lt"): "le", (-1, "ge"): "gt"}.get((shift, op))
        if op is None:
            return UNKNOWN
    # now: i (query) OP j (key)
    region = {"ge": Region.LOWER, "gt": Region.SUB, "le": Region.UPPER, "lt": Region.SUPER}.get(op)
    if region is None:
        return UNKNOWN
    return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"query index {SYMBOL[op]} key index", rank=2, dim0="L")


def _same_group(ctx: Ctx, op: str, lnode, rnode):
    """``doc[:, None] == doc[None, :]``: pairs in the same group (document, sequence, denoising
    group), a block-diagonal keep set that holds the diagonal; ``!=`` the pairs across groups."""
    if lnode is None or rnode is None:
        return None
    shapes = (cst.Subscript, cst.Call)
    if not (isinstance(lnode, shapes) and isinstance(rnode, shapes)):
        return None  # both sides index or unsqueeze something
    a, b = ctx.code(lnode), ctx.code(rnode)
    for q, k in ((a, b), (b, a)):
        mq, mk = names.SAME_QUERY_SIDE.match(q), names.SAME_KEY_SIDE.match(k)
        if mq and mk and mq.group("x") == mk.group("x"):
            qs, ks = q[len(mq.group("x")):].replace(" ", ""), k[len(mk.group("x")):].replace(" ", "")
            rank, dim0 = {("[:,None]", "[None,:]"): (2, "L"), ("[:,None]", "[None]"): (2, "L"),
                          (".unsqueeze(1)", ".unsqueeze(0)"): (2, "L"), (".unsqueeze(-1)", ".unsqueeze(0)"): (2, "L"),
                          ("[:,:,None]", "[:,None,:]"): (3, "N"),
                          (".unsqueeze(2)", ".unsqueeze(1)"): (3, "N")}.get((qs, ks), (None, None))
            region = Region.SAME if op == "eq" else Region.OTHER
            return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"{a} {SYMBOL[op]} {b}: same group or not",
                          rank=rank, dim0=dim0)
    return None


def _index_vs_window(ctx: Ctx, la: str, ra: str, op: str, ls, rs) -> AV:
    """``j <= i - window``: keys a window's width or more behind the query (the far past), and
    ``j > i - window`` those within it (or ahead)."""
    la = "k" if la == "1d" else la
    ra = "k" if ra == "1d" else ra
    if la == ra or (ls != 0 and rs != 0):
        return UNKNOWN
    if la == "k":
        op, ls, rs = FLIP[op], rs, ls
    # now: i + ls OP j + rs, one of them a window's width
    if ls != "-w" and rs != "+w":
        return UNKNOWN  # i + w OP j: a window on the future side, not modelled
    # i - w OP j, or i OP j + w: (i - j) OP w
    far = op in ("ge", "gt")
    return ctx.mk(Dt.BOOL, Region.FAR if far else Region.NEAR, Cell.TRUE, Cell.FALSE,
                  f"i - j {'>=' if far else '<'} window", rank=2, dim0="L")


def _width_minus_other(node) -> bool:
    """``(T - x)[:, None]`` / ``(T - x).unsqueeze(1)``: a subtraction under the per-sample view."""
    while isinstance(node, (cst.Subscript, cst.Call)):
        node = node.value if isinstance(node, cst.Subscript) else (
            node.func.value if isinstance(node.func, cst.Attribute) else None)
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Subtract)


def _position_vs_length(ctx: Ctx, left, right, lnode, rnode, op: str, la) -> AV:
    """``arange(S)[None, :] < lengths[:, None]``: a padding mask, True at real tokens."""
    other, other_node = (right, rnode) if la else (left, lnode)
    if la is None:
        op = FLIP[op]
    if isinstance(other, Size):
        return UNKNOWN
    text = ctx.code(other_node) if other_node is not None else ""
    is_len = (isinstance(other, Tensor) and other.lengths) or bool(
        names.LENISH.search(text.split("[")[0].split(".")[-1] or "")
    ) or (not isinstance(other, (Const, Mask)) and bool(names.PER_SAMPLE.search(text)))
    if not is_len:
        if isinstance(other, Const) and isinstance(other.value, int) and la in ("q", "k"):
            # `kv_idx < PREFIX` in a mask_mod: a fixed span of positions (a prefix, sink tokens), a
            # comparison of known kind but no region of its own
            return bool_unknown(ctx)
        return UNKNOWN
    # position j OP length; below a count of left padding (an offset, a start) lies padding
    left_pad = names.LEFT_PAD_COUNT.search(text.split("[")[0].split(".")[-1] or "") is not None or \
        names.WIDTH_MINUS_LENGTH.search(text) is not None  # `T - lengths`: the padding before each sequence
    if not left_pad and not (isinstance(other, Tensor) and other.lengths) and _width_minus_other(other_node):
        # `arange(T) < (T - hours_available)[:, None]`: a width minus a count that is not named a
        # length: the real tokens or the padding before them, by what the count is
        return bool_unknown(ctx)
    region = ({"lt": Region.PAD, "ge": Region.REAL} if left_pad else {"lt": Region.REAL, "ge": Region.PAD}).get(op)
    if region is None:
        return UNKNOWN
    positions = left if la else right
    ref = None
    if isinstance(positions, Tensor) and positions.along is not None:
        # arange(x.size(d)): the keys are x's dim d; the (N, S) mask is x's layout swapped when d == 0
        ref = TensorRef(positions.along.ref.root, swapped=positions.along.root_dim() == 0)
    # `arange(T)[:, None] >= lengths[None, :]`: positions down the rows, one column per sample: (S, N)
    tokens_first = isinstance(positions, Tensor) and positions.index_axis == "q" and \
        names.PER_COLUMN.search(text or "") is not None
    if tokens_first and ref is not None:
        ref = ref.flip()  # written (S, N): laid like x when the positions run along x's dim 0
    bound = "the padding before each sequence" if left_pad else "lengths"
    rank, dim0 = 2, "S" if tokens_first else "N"
    if isinstance(positions, Tensor) and positions.index_axis == "1d" and not names.PER_SAMPLE.search(text):
        # `arange(S) < n_real`: a 1-D position vector against a count with no axis of its own (an
        # (N,) vector would not broadcast): an (S,) mask
        rank, dim0 = 1, "S"
    return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"positions {'<' if op == 'lt' else '>='} {bound}",
                  rank=rank, dim0=dim0, ref=ref)


def _token_padding(ctx: Ctx, left, right, lnode, rnode, op: str):
    """``ids == pad_id`` / ``tokens != 0``: a padding mask computed from token ids."""
    rtext, ltext = ctx.code(rnode), ctx.code(lnode)
    padlike = bool(names.PAD_NAME.search(rtext) or names.MISSING_ID.search(rtext)) and not isinstance(right, Mask)
    zero_tok = isinstance(right, Const) and right.value == 0 and (
        bool(names.TOKENISH.search(ltext.split("[")[0])) or (isinstance(left, Tensor) and bool(left.padded_ids))
        or (isinstance(lnode, cst.Name) and lnode.value in _embedded_names(ctx)))
    # ids the code padded by hand (`[2] * (L - len(p)) + p`) against a literal id: that id is the pad
    zero_tok = zero_tok or (isinstance(right, Const) and type(right.value) is int and isinstance(left, Tensor)
                            and bool(left.padded_ids) and isinstance(rnode, cst.Integer))
    # `facet_id == -1`, `slot_id == EMPTY`: ids whose empty slots hold an id of their own
    sentinel = isinstance(right, Const) and type(right.value) is int and right.value == -1 or \
        bool(names.EMPTY_ID.search(rtext)) and not isinstance(right, Mask)
    zero_tok = zero_tok or (sentinel and bool(names.SENTINEL_IDS.search(ltext.split("[")[0].split(".")[-1])))
    if not (padlike or zero_tok):
        return None
    if isinstance(right, Const) and type(right.value) is int and isinstance(lnode, cst.Name):
        pad_id = _embedding_pad_id(ctx, lnode.value)
        if pad_id is not None and pad_id != right.value:
            # `syllables.eq(0)` for ids that `nn.Embedding(..., padding_idx=1)` embeds: the mask
            # marks another token, and the padding stays visible
            ctx.constant("wrong_pad_id", Const(pad_id), rnode)
        elif pad_id is None and isinstance(rnode, cst.Integer):
            listed = vocabulary_pad_id(ctx.module)
            if listed is not None and listed[0] != right.value:
                # `codes.eq(0)` where the module's vocabulary lists ["<unk>", "<pad>", ...]
                ctx.constant("wrong_pad_id", Const(listed), rnode)
    ref = left.ref if isinstance(left, Tensor) else None
    if ref is None and isinstance(lnode, cst.Name):
        ref = TensorRef(lnode.value)  # ids we cannot follow (`torch.tensor([...])`), named
    region = Region.PAD if op == "eq" else Region.REAL
    rank, dim0, key_axis = 2, "N", None
    if isinstance(lnode, cst.Subscript) and all(
            isinstance(el.slice, cst.Slice) or (isinstance(el.slice, cst.Index) and ctx.code(el.slice.value) == "None")
            for el in lnode.slice):
        # ids[:, None, None, :] == pad_id: the comparison has the subscript's layout
        first = lnode.slice[0].slice
        rank, dim0 = len(lnode.slice), ("N" if isinstance(first, cst.Slice) else "1")
        kept = _kept_dims([("slice", None, None) if isinstance(el.slice, cst.Slice) else ("index", Const(None), None)
                           for el in lnode.slice], 2)
        key_axis = kept.index(1) - len(kept) if 1 in kept else None
        if isinstance(lnode.value, cst.Name):
            ref = TensorRef(lnode.value.value)
    # ids padded on the left (`[pad] * (L - len(p)) + p`): so is the mask (batched generation)
    left_padded = isinstance(left, Tensor) and left.padded_ids == "left"
    return ctx.mk(Dt.BOOL, region, Cell.TRUE, Cell.FALSE, f"`{ltext} {SYMBOL[op]} {rtext}`", rank=rank, dim0=dim0,
                  ref=ref, key_axis=key_axis, left=left_padded)


def _embedded_names(ctx: Ctx) -> frozenset:
    """The names the running method hands to one of its model's embedding tables built with a
    ``padding_idx`` (``self.emb(chords)``): token ids with padding, whatever they are called (so
    ``chords == 0`` is padding; a categorical feature's table has no padding_idx)."""
    fn, obj = ctx.frame.fn, ctx.frame.self_obj
    if fn is None or not isinstance(obj, ObjV):
        return frozenset()
    return frozenset(name for attr, name in _self_calls(fn)
                     if isinstance(obj.attrs.get(attr), EmbeddingV) and obj.attrs[attr].padded)


#: how vocabularies spell their padding token, and their other special tokens
PAD_TOKENS = frozenset({"<pad>", "[PAD]", "<PAD>", "[pad]", "<|pad|>", "PAD", "<blank>"})
_SPECIAL_TOKENS = frozenset({"<unk>", "<s>", "</s>", "<bos>", "<eos>", "<cls>", "<sep>", "<mask>", "[UNK]", "[CLS]",
                             "[SEP]", "[MASK]", "<UNK>", "<BOS>", "<EOS>", "<start>", "<end>", "<sos>", "<SOS>"})


def vocabulary_pad_id(module):
    """``(index, token)`` of the padding token in the module's vocabulary, where its code lists one:
    a literal list or tuple of token strings (``TOKENS = ["<pad>", "<bos>", ...]``, ``self.itos =
    ["<unk>", "<pad>"] + words``); None when there is none, or two that disagree."""
    memo = module.__dict__.get("_vocabulary_pad_id", False)
    if memo is not False:
        return memo
    found = set()
    if any(t in module.source for t in PAD_TOKENS):

        class _Lists(cst.CSTVisitor):
            """Lists assigned (alone, or first in a sum: `["<unk>", "<pad>"] + words`) that hold the
            padding token and another special one: a vocabulary's head, not a tag set or a filter."""

            def visit_Assign(self, node):
                value = node.value
                while isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
                    value = value.left
                if isinstance(value, cst.Call) and value.args and dotted(value.func) in ("list", "tuple"):
                    value = value.args[0].value
                if isinstance(value, (cst.List, cst.Tuple)):
                    self._seq(value)

            def _seq(self, node):
                items = [e.value for e in node.elements]
                if len(items) < 2 or not all(isinstance(v, cst.SimpleString) for v in items):
                    return
                texts = [v.evaluated_value for v in items]
                if not any(t in _SPECIAL_TOKENS for t in texts):
                    return
                for i, t in enumerate(texts):
                    if t in PAD_TOKENS:
                        found.add((i, t))

        walk(module.tree, _Lists())
    memo = found.pop() if len(found) == 1 else None
    module.__dict__["_vocabulary_pad_id"] = memo
    return memo


def _embedding_pad_id(ctx: Ctx, name: str):
    """The ``padding_idx`` (a number) of the model's embedding table the running method hands
    ``name`` to, if one."""
    fn, obj = ctx.frame.fn, ctx.frame.self_obj
    if fn is None or not isinstance(obj, ObjV):
        return None
    ids = {obj.attrs[attr].pad_id for attr, n in _self_calls(fn)
           if n == name and isinstance(obj.attrs.get(attr), EmbeddingV) and obj.attrs[attr].pad_id is not None}
    return ids.pop() if len(ids) == 1 else None


def _self_calls(fn) -> list:
    """(attribute, name) of each ``self.<attribute>(<name>, ...)`` call in a function's body, read once."""
    calls = fn.__dict__.get("_self_calls")
    if calls is None:
        calls = fn.__dict__["_self_calls"] = []

        class _Calls(cst.CSTVisitor):
            def visit_Call(self, node):
                f = node.func
                if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == "self" and \
                        node.args:
                    arg = node.args[0].value
                    if isinstance(arg, cst.Call) and arg.args and names.ID_WRAPPERS.search(dotted(arg.func) or ""):
                        arg = arg.args[0].value  # `self.item_emb(torch.LongTensor(log_seqs))`
                    if isinstance(arg, cst.Name):
                        calls.append((f.attr.value, arg.value))

        walk(fn.node.body, _Calls())
    return calls


def bool_unknown(ctx: Ctx, node=None) -> Mask:
    """A comparison of tensors: a bool mask whose structure we cannot tell; indexed per sample
    (``online[:, None, :]``, ``valid[:, :, None]``), one of (N, L, S) masks."""
    rank, dim0 = _lifted_rows(ctx, node)
    return ctx.mk(Dt.BOOL, Region.UNKNOWN, Cell.TRUE, Cell.FALSE, "a comparison", rank=rank, dim0=dim0)


def _lifted_rows(ctx: Ctx, node):
    """``x[:, None, :]`` / ``x[:, :, None]`` / ``x.unsqueeze(2)`` of a per-row (N, S) tensor: one
    side of an (N, L, S) grid of pairs, its rows the samples.  ``(None, None)`` otherwise."""
    if node is None:
        return None, None
    code = ctx.code(node).replace(" ", "")
    m = names.SAME_QUERY_SIDE.match(code) or names.SAME_KEY_SIDE.match(code)
    if m is None:
        return None, None
    if code[len(m.group("x")):] in ("[:,None,:]", "[:,:,None]", ".unsqueeze(2)"):
        return 3, "N"
    return None, None


# --------------------------------------------------------------------------- operators
def unary(ctx: Ctx, node: cst.UnaryOperation, v: AV) -> AV:
    op = node.operator
    if isinstance(op, cst.Minus) and isinstance(v, Const) and isinstance(v.value, (int, float)):
        origin = (v.origin[0], node) if v.origin is not None else None
        return Const(-v.value, finfo_min=v.finfo_min, adaptive=v.adaptive, origin=origin)
    if isinstance(op, cst.BitInvert) and isinstance(v, Mask):
        return algebra.invert(ctx, v, "~")
    if isinstance(op, cst.Not) and isinstance(v, Const) and isinstance(v.value, (bool, type(None), int)):
        return Const(not v.value)
    return UNKNOWN


def outer_product(ctx: Ctx, left, right) -> AV:
    """``q @ k.transpose(-2, -1)``: attention scores; of two 0/1 masks (``qmask.float() @
    kmask.float()``, an (N, L, 1) and an (N, 1, S)), the pairs where both are 1, like ``*``."""
    if isinstance(left, Mask) and isinstance(right, Mask) and left.token_axis() == -2 and right.token_axis() == -1:
        # an (.., L, 1) column times an (.., 1, S) row: the pairs (not `adj @ adj`, a matrix product)
        both = algebra.combine(ctx, "mul", left, right)
        rank = max(left.rank, right.rank) if left.rank is not None and right.rank is not None else None
        if isinstance(both, Mask):
            return replace(both, rank=rank) if rank is not None else both
        if algebra.zero_one(left) and algebra.zero_one(right) and Dt.UNKNOWN not in (left.dtype, right.dtype):
            # where the pairs fall is not known, but the values are still 0 or 1
            dt = Dt.FLOAT if Dt.FLOAT in (left.dtype, right.dtype) else Dt.INT
            return ctx.step(left, "@", region=Region.UNKNOWN, dtype=dt, inside=Cell.ONE, outside=Cell.ZERO,
                            rank=rank)
    return Tensor(scores=True, source=scores_source(left, right), bare=True,
                  heads=left.heads if isinstance(left, Tensor) else None)


def binop(ctx: Ctx, op, left, right, lnode, rnode) -> AV:
    """``left <op> right``; ``op`` is a libcst operator node or a name ("add", "and", ...)."""
    op = op if isinstance(op, str) else _CST_BINOP.get(type(op).__name__, "other")
    if op == "matmul":
        return outer_product(ctx, left, right)
    if op == "sub" and isinstance(left, Tensor) and isinstance(right, Tensor) and left.index_axis and right.index_axis:
        # i - j (query minus key); `idx[None, :] - idx[:, None]` is j - i, the same with its sign turned
        return Tensor(index_axis="rdiff" if (left.index_axis, right.index_axis) == ("k", "q") else "diff")
    if op == "floordiv" and isinstance(left, Tensor) and left.index_axis in ("1d", "q", "k") and left.shift == 0 \
            and not isinstance(right, Mask) and not (isinstance(right, Tensor) and (
                right.index_axis or right.scores or right.probs or right.embedded)):
        return replace(left, blocks=True)  # `arange(n) // patches_per_frame`: the frame of each position
    shifted = _shift_index(op, left, right)
    if shifted is not None:
        return shifted
    if isinstance(left, Const) and isinstance(right, Const):
        return _fold(op, left, right)
    if op == "sub" and isinstance(lnode, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and \
            isinstance(rnode, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and \
            all(isinstance(v, (Unknown, Size)) and not isinstance(v, LengthDiff) for v in (left, right)):
        # `offset = kv_len - q_len`: two sizes apart (read only as a tril/triu diagonal)
        return LengthDiff(0)
    if op in ("add", "sub") and isinstance(left, LengthDiff) and algebra.as_int(right) is not None:
        return LengthDiff(left.plus + (1 if op == "add" else -1) * algebra.as_int(right))
    if isinstance(left, TupleV) and (isinstance(right, TupleV) and op == "add" or op == "mul"):
        # list arithmetic: `[0, 0] + [1] * 5`
        n = algebra.as_int(right)
        if op == "add":
            return TupleV(left.items + right.items)
        return TupleV(left.items * n) if n is not None and 0 <= n <= 4096 else UNKNOWN
    if op == "mul":
        for t, t_node, other, other_node in ((left, lnode, right, rnode), (right, rnode, left, lnode)):
            if isinstance(t, Tensor) and (t.scores or t.probs) and names.HEAD_MASK_CODE.search(ctx.code(other_node)):
                return head_mask_product(ctx, t, other, other_node)
            if isinstance(t, Tensor) and isinstance(other, Tensor) and not t.probs and \
                    not (other.scores or other.probs) and _mask_named(other_node) and not _mask_named(t_node) and \
                    _scores_here(ctx, t, t_node):
                # `scores * node_mask[:, None, :].float()`: a tensor named as a mask multiplies the scores;
                # before a softmax that is wrong whatever it holds (sinks.softmax_of)
                named = ctx.mk(Dt.FLOAT, Region.UNKNOWN, Cell.ONE, Cell.ZERO,
                               f"`{root_name(other_node)}` (a mask by its name, multiplied in)", assumed=True)
                return Tensor(ref=t.ref, scores=t.scores, source=t.source, embedded=t.embedded,
                              zeroed=(named, other_node))
    if op in ("and", "or"):
        flt = next((m for m in (left, right) if isinstance(m, Mask) and m.dtype is Dt.FLOAT
                    and (not m.assumed or "documented" in m.evidence[0].text)
                    and (any(names.MADE_FLOAT.search(e.text) for e in m.evidence)
                         or _built_float(m))), None)
        if flt is not None:
            # `valid.float() & other`: bitwise_and is not implemented for float (ML202)
            ctx.constant("float_logical", Const(0.0), lnode if flt is left else rnode, flt)
    if isinstance(left, Mask) and isinstance(right, Mask):
        return algebra.combine(ctx, op, left, right)
    if isinstance(left, Mask) or isinstance(right, Mask):
        return _mask_and_other(ctx, op, left, right, lnode, rnode)
    if op in ("and", "or") and (isinstance(left, Tensor) or isinstance(right, Tensor)):
        # a logical combination of tensors: a bool mask; `ok[:, None, :] & ok[:, :, None]`: per sample
        return bool_unknown(ctx, lnode if _lifted_rows(ctx, lnode)[0] else rnode)
    # `tok(ids) + pos(arange(ids.size(1)))`: the sum is laid out like the ids, (N, S, E)
    positions = next((t.positions for t in (left, right) if isinstance(t, Tensor) and t.positions is not None),
                     None) if op == "add" else None
    # an encoder's output stays its padded sequence through a residual (`x + attn(x)`) or a scale
    padding_of = next((t.padding_of for t in (left, right) if isinstance(t, Tensor) and t.padding_of), None)
    if op == "sub" and all(isinstance(t, Unknown) or isinstance(t, Tensor) and not (t.scores or t.probs or t.index_axis)
                           for t in (left, right)):
        pairs = _same_group(ctx, "eq", lnode, rnode)
        if isinstance(pairs, Mask):
            # `mask_windows.unsqueeze(1) - mask_windows.unsqueeze(2)`: labels compared pair by pair (0 where
            # two positions share a label); of windows, not samples: the rank is left open
            return Tensor(labels=(None, None))
    # float32 scores stay float32 through a scale or a sum (`(q @ k.T).float() * scale`): torch promotes
    fp32 = any(isinstance(t, Tensor) and t.fp32 for t in (left, right))
    if isinstance(left, Tensor) and op in ("add", "sub", "mul", "div"):
        rank = left.rank if not isinstance(right, (Tensor, Mask)) else None  # `dots * self.scale`
        return Tensor(ref=_summed_ref(left, right, op), embedded=left.embedded, scores=left.scores, source=left.source, rank=rank,
                      positions=positions, padding_of=padding_of, fp32=fp32,
                      bare=_scaled(left, right, op), heads=left.heads)
    if isinstance(right, Tensor) and op in ("add", "mul"):
        rank = right.rank if not isinstance(left, (Tensor, Mask)) else None
        return Tensor(ref=right.ref, embedded=right.embedded, scores=right.scores, source=right.source, rank=rank,
                      positions=positions, padding_of=padding_of, fp32=fp32, bare=_scaled(right, left, op))
    return UNKNOWN


def _summed_ref(left: Tensor, right, op: str):
    """The layout of ``left + right``: left's; where both are embeddings of ids laid out the same way
    (``self.band(band) + self.prefix(prefix)``), both inputs name it."""
    ref = left.ref
    if op == "add" and ref is not None and isinstance(right, Tensor) and right.ref is not None and \
            left.embedded and right.embedded and right.ref.swapped == ref.swapped and right.ref.root != ref.root:
        peers = ref.peers + tuple(r for r in (right.ref.root,) + right.ref.peers if r not in ref.peers)
        return TensorRef(ref.root, ref.swapped, peers[:8])
    return ref


def _scaled(t: Tensor, other, op: str) -> bool:
    """``scores * scale`` / ``scores / sqrt(d)`` of bare scores: still bare (a number, not a tensor)."""
    return t.bare and op in ("mul", "div") and not isinstance(other, (Tensor, Mask))


#: torch's builders with no dtype given: float32 (``torch.tril(torch.ones(n, n))``)
_DEFAULT_FLOAT_BUILDERS = ("torch.ones", "torch.zeros", "torch.full", "torch.empty")


def _built_float(m) -> bool:
    """Built by ``torch.ones(...)`` and the like with no ``dtype``: float32 for sure (with
    ``dtype=attention_mask.dtype`` it is whatever that is)."""
    first = m.evidence[0]
    return first.text in _DEFAULT_FLOAT_BUILDERS and isinstance(first.node, cst.Call) and not any(
        a.keyword is not None and a.keyword.value == "dtype" for a in first.node.args)


def _scores_here(ctx: Ctx, t: Tensor, node) -> bool:
    """Attention scores: known as such (``q @ k^T``), named so (``scores``, ``sim``), or what a
    function named for the normalisation takes (``masked_softmax(x, mask)``); not logits over
    classes, nor hidden states."""
    if t.scores:
        return True
    root = root_name(node)
    fn = ctx.frame.fn
    return bool(root and names.SCORES_NAME.search(root)) or bool(fn is not None and names.SCORES_NAME.search(fn.name))


def _mask_named(node) -> bool:
    root = root_name(node)
    return root is not None and bool(names.is_mask_param(root) or names.VALID_MASK_NAME.search(root))


def root_name(node) -> Optional[str]:
    """The name an expression starts from: ``node_mask`` of ``node_mask[:, None].float()``."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
            # `e_mask1 * e_mask2`: a pair mask, named after its first factor when both are masks
            left, right = root_name(node.left), root_name(node.right)
            return left if left and right and names.is_mask_param(left) and names.is_mask_param(right) else None
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value
        else:
            return None


def _shift_index(op: str, left, right) -> Optional[Tensor]:
    """``arange(n) + 1``: the same index vector, shifted by a constant."""
    if op not in ("add", "sub"):
        return None
    for t, c, sign in ((left, right, 1 if op == "add" else -1), (right, left, 1)):
        if isinstance(t, Tensor) and t.index_axis in ("1d", "q", "k") and (op == "add" or t is left):
            k = algebra.as_int(c)
            if k is not None and isinstance(t.shift, int):
                return replace(t, shift=t.shift + sign * k)
            if k is None and t.shift == 0 and not isinstance(c, LengthDiff) and (
                    isinstance(c, (Unknown, Size)) or (isinstance(c, Tensor) and c.index_axis is None
                                                       and not (c.scores or c.probs or c.embedded))):
                return replace(t, shift="+w" if sign > 0 else "-w")  # `i - window`: a window's width away
    return None


def _fold(op: str, left: Const, right: Const) -> AV:
    a, b = left.value, right.value
    try:
        val = {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b}.get(op)
        return Const(val()) if val else UNKNOWN
    except Exception:
        return UNKNOWN


_ZERO_ONE = frozenset({Cell.ZERO, Cell.ONE, Cell.TRUE, Cell.FALSE})


def _mask_and_other(ctx: Ctx, op: str, left, right, lnode, rnode) -> AV:
    m, c, m_left = (left, right, True) if isinstance(left, Mask) else (right, left, False)
    m_node, c_node = (lnode, rnode) if m_left else (rnode, lnode)
    cc = algebra.const_cell(c)
    if cc is None:
        bias = isinstance(c, Unknown) or (isinstance(c, Tensor) and not (c.scores or c.probs or c.lengths))
        if op == "add" and bias and (m.is_additive() or m.is_binary_float()):
            # mask + bias (ALiBi, T5 relative positions, or of unknown origin): the mask still decides
            # where -inf / 0 / 1 are
            return ctx.step(m, f"+ {ctx.code(c_node)}")
        if op in ("and", "or") and isinstance(c, Tensor) and (
                m.dtype is Dt.BOOL or m.assumed and m.dtype is Dt.INT) and not (c.scores or c.probs):
            # `causal & att_mask` with a mask of unknown structure: still a mask (algebra._logical);
            # a mask whose int dtype is a guess from its name is combined as the bool it must be
            if m.dtype is not Dt.BOOL:
                m = algebra.convert(ctx, m, Dt.BOOL, "as bool")
            other = bool_unknown(ctx, c_node)
            return algebra.combine(ctx, op, m, other) if m_left else algebra.combine(ctx, op, other, m)
        if isinstance(c, Tensor):
            if c.scores and op == "add":
                scores_plus_mask(ctx, m, m_node, scores=c)
            zeroed = None
            if not c.probs and op == "mul" and {m.inside, m.outside} <= _ZERO_ONE and _scores_here(ctx, c, c_node) and \
                    {m.inside, m.outside} & {Cell.ONE, Cell.TRUE}:
                zeroed = (m, m_node)  # a mask multiplied into the scores: wrong if a softmax follows as is
            return Tensor(ref=c.ref, scores=c.scores, source=c.source, embedded=c.embedded, zeroed=zeroed)
        return UNKNOWN
    promoted = Dt.FLOAT if isinstance(c.value, float) else m.dtype  # int/bool op float -> float
    if op == "sub" and not m_left and cc is Cell.ONE and m.is_additive() and not (m.assumed and len(m.evidence) <= 1):
        # `1 - mask` of a 0 / -inf mask: code written for a 0/1 keep mask (ML207), unless it
        # converts only masks of one rank (`if mask.ndim == 2:`) and this mask's rank is a guess
        if not any(names.RANK_TEST.search(ctx.frame.module.text_of(g)) for g in ctx.frame.guards):
            ctx.constant("one_minus_additive", Const(1), m_node, m)
        return UNKNOWN
    if op == "sub" and not m_left and cc is Cell.ONE and m.dtype is not Dt.BOOL:
        swap = {Cell.ONE: Cell.ZERO, Cell.ZERO: Cell.ONE}
        if m.inside in swap and m.outside in swap:
            return ctx.step(m, "1 - mask", inside=swap[m.inside], outside=swap[m.outside], dtype=promoted)
        return UNKNOWN
    if op != "mul":
        return UNKNOWN
    if cc is Cell.ONE:
        if promoted is m.dtype:
            return m
        return ctx.step(m, "* 1.0", dtype=Dt.FLOAT, inside=num_cell(m.inside), outside=num_cell(m.outside))
    if cc is Cell.NEG:
        inf = math.isinf(c.value)

        def scale(cell):
            if cell in (Cell.ZERO, Cell.FALSE):
                return Cell.OTHER if inf else Cell.ZERO  # 0 * -inf = nan
            if cell in (Cell.ONE, Cell.TRUE):
                return Cell.NEG
            return Cell.OTHER

        negs = m.neg_consts + (((c, c_node),) if not inf else ())
        ctx.constant("fill", c, c_node)
        return ctx.step(m, f"* {ctx.code(c_node)}", dtype=Dt.FLOAT, inside=scale(m.inside),
                        outside=scale(m.outside), neg_consts=negs)
    return UNKNOWN


# --------------------------------------------------------------------------- subscripts
def read_table(ctx: Ctx, table: DictV, key: AV, node=None) -> AV:
    """``table[key]`` / ``table.get(key)``: the entry, or what the table may hold under a key not
    known (a cache's entries, one of several implementations).  A key the table does not hold yet may
    be filled by a registration not run yet (``@register_attention("sdpa")`` in another module): the
    table (``node``) is read again after they ran (a write puts a copy of the dict in its place)."""
    if not (isinstance(key, Const) and key.value in table.items) and ctx.interp.fill_tables(table) and node is not None:
        again = ctx.eval(node)
        table = again if isinstance(again, DictV) else table
    if isinstance(key, Const) and key.value in table.items:
        return table.items[key.value]
    if ANY_KEY in table.items:
        return table.items[ANY_KEY]  # a cache read by a key that is not known
    return choice(table.items.values(), classes=table.registry)


def subscript(ctx: Ctx, node: cst.Subscript) -> AV:
    base = ctx.eval(node.value)
    idx = []
    for el in node.slice:
        s = el.slice
        if isinstance(s, cst.Index):
            idx.append(("index", ctx.eval(s.value), s.value))
        else:
            for part in (s.lower, s.upper, s.step):
                if part is not None:
                    ctx.eval(part)
            idx.append(("slice", s, None))
    single = idx[0][1] if len(idx) == 1 and idx[0][0] == "index" else None
    if isinstance(base, ShapeV) and single is not None:
        d = algebra.as_int(single)
        return Size(SizeRef(base.ref, d), node) if base.ref is not None and d is not None and d >= 0 else UNKNOWN
    if isinstance(base, TupleV) and single is not None:
        d = algebra.as_int(single)
        return base.items[d] if d is not None and -len(base.items) <= d < len(base.items) else UNKNOWN
    if isinstance(base, ModuleListV):
        return base.item
    if isinstance(base, DictV) and single is not None:
        if not isinstance(single, Const):
            single = _default_key(ctx, idx[0][2], base) or single
        return read_table(ctx, base, single, node.value)
    if isinstance(single, Const) and isinstance(single.value, str) and names.ADJACENCY_NAME.match(single.value) and \
            isinstance(base, (Unknown, Tensor)) and not (isinstance(base, Tensor) and (base.scores or base.probs)):
        return sources.adjacency_named(single.value, node, ctx.module)  # `batch["adj"]`: a graph's edges
    if isinstance(base, ObjV) and single is not None:
        return ctx.interp.item_of(base, single)  # `dataset[0]`: what its __getitem__ returns
    if isinstance(single, Const) and isinstance(single.value, str) and isinstance(base, (Unknown, Tensor)) and \
            _batch_parameter(ctx, node.value):
        produced = ctx.interp.batch_entry(single.value, ctx.module)  # what a collate puts there
        if produced is not None:
            return produced.step(node, ctx.module, f"`{ctx.code(node)}`: what the collate returns under that key")
    if isinstance(single, Const) and single.value in C.HF_ATTENTION_MASK_NAMES and not isinstance(base, Mask):
        return sources.tokenizer_mask(ctx, f"`{ctx.code(node)}` (tokenizer output: int, 1 = real token)",
                                      ctx.code(node.value))
    if any(kind == "slice" for kind, _, _ in idx) and names.KV_CACHE.search(ctx.code(node.value)) and \
            not (isinstance(base, Mask) and "mask" in ctx.code(node.value).lower()):
        # `self.cache_k[:b, :, :start + t]`: past and new keys (a zeros() buffer is not a mask here)
        return Tensor(cached=True, source=ctx.code(node.value))
    if (isinstance(base, Unknown) or isinstance(base, Mask) and base.region is Region.ALL) and \
            isinstance(single, Tensor) and single.index_axis in ("q", "k"):
        # `doc_ids[q_idx]` in a mask_mod, of ids we cannot follow or built from constants
        # (`torch.full(..., -1)` joined to ids): a value looked up, data rather than a mask
        return Tensor(source=ctx.code(node.value))
    if isinstance(base, Mask):
        return _index_mask(ctx, node, base, idx)
    if isinstance(single, Const) and isinstance(single.value, str) and isinstance(base, (Tensor, Unknown)) and (
            names.TOKENISH.search(single.value) or names.TARGET.search(single.value)):
        return Tensor(ref=TensorRef(single.value))  # batch["decoder_inputs"]: a sequence of its own
    if isinstance(single, Tensor) and single.padded_ids and not isinstance(base, Mask):
        # `table[input_ids]`: the rows of an embedding table for a padded batch of ids
        return embedded_ids(single, single.ref)
    if isinstance(base, Tensor):
        return _index_tensor(base, idx)
    return UNKNOWN


def _batch_parameter(ctx: Ctx, node) -> bool:
    """``batch`` in ``batch["mask"]``: a parameter of the running function named for a batch."""
    fn = ctx.frame.fn
    return isinstance(node, cst.Name) and fn is not None and bool(names.BATCH_NAME.match(node.value)) and \
        any(p.name.value == node.value for p in fn.params() + fn.kwonly())


def stacked(m: Mask, node) -> Mask:
    """One sample's mask as the DataLoader's default collate stacks it: a batch axis in front
    (none added to one read as per-sample already, `ids != PAD` of one sample's ids)."""
    if m.dim0 == "N":
        return m
    return replace(m, rank=m.rank + 1 if m.rank is not None else None, dim0=None)


def _default_key(ctx: Ctx, node, table: DictV) -> Optional[Const]:
    """``MASKS[kind]`` in ``def attend(q, k, v, kind="causal")`` run on its own: the key the
    parameter's default names, when the table has it (what the code does unless told otherwise)."""
    fn = ctx.frame.fn
    if fn is None or ctx.frame.concrete or not isinstance(node, cst.Name):
        return None
    param = next((p for p in fn.params() + fn.kwonly() if p.name.value == node.value), None)
    if param is None or not isinstance(param.default, cst.SimpleString) or \
            ctx.frame.env.get(node.value) is not ctx.frame.incoming.get(node.value):
        return None  # no string default, or the name rebound since
    key = ctx.module.string_value(param.default)
    if not (isinstance(key, str) and key in table.items):
        return None
    # this run is now that configuration: tests of the key later in it agree with the entry read
    ctx.frame.env[node.value] = ctx.frame.incoming[node.value] = Const(key)
    return Const(key)


def _index_mask(ctx: Ctx, node, base: Mask, idx) -> AV:

    nones = sum(1 for kind, v, _ in idx if kind == "index" and isinstance(v, Const) and v.value is None)
    ints = sum(1 for kind, v, _ in idx if kind == "index" and algebra.as_int(v) is not None)
    if len(idx) == 1 and idx[0][0] == "index" and isinstance(idx[0][1], (Tensor, Mask, Unknown)) and \
            base.dim0 == "N" and not base.assumed and not ctx.interp.scoring and \
            not (isinstance(idx[0][1], Tensor) and idx[0][1].index_axis is not None):
        # `pad[lane_idx]`: the samples an index tensor picks (a batch gathered, a beam reordered),
        # each row what it was; by an index of unknown kind (`pad[order]`, `pad[b]`), one sample or
        # several: the rows' content, not the rank
        if isinstance(idx[0][1], Unknown):
            return ctx.step(base, f"[{ctx.code(idx[0][2])}]: the samples it picks", rank=None, dim0=None,
                            key_axis=None)
        return ctx.step(base, f"[{ctx.code(idx[0][2])}]: the samples it picks")
    if any(kind == "index" and not isinstance(v, Const) for kind, v, _ in idx):
        if all(kind == "index" and (_scalar_index(v) or algebra.as_int(v) is not None) for kind, v, _ in idx):
            # mask[b][h][q_idx][kv_idx] inside a flex score_mod: one element, the mask's values
            rank = base.rank - len(idx) if base.rank is not None and base.rank >= len(idx) else None
            return replace(base, rank=rank, key_axis=None)
        return UNKNOWN
    consumed = len(idx) - nones
    known = base.rank if base.rank is None or consumed <= base.rank else consumed  # `m[:, :, :, :k]` has 4 dims
    rank = known + nones - ints if known is not None else None
    first = idx[0]
    dim0 = "1" if first[0] == "index" and isinstance(first[1], Const) and first[1].value is None else base.dim0
    if ints and first[0] == "index" and algebra.as_int(first[1]) is not None:
        dim0 = None
    axis = base.axis_after(_kept_dims(idx, base.rank)) if base.rank is not None else None
    if nones:
        elems = node.slice
        inner = ", ".join(ctx.code(el.slice) if isinstance(el.slice, cst.Slice) else ctx.code(el.slice.value)
                          for el in elems) if len(elems) <= 8 else "..."
        return ctx.step(base, f"[{inner}]", rank=rank, dim0=dim0, key_axis=axis)
    return replace(base, rank=rank, dim0=dim0, key_axis=axis)


def _scalar_index(v) -> bool:
    """An index that picks one position: a flex index (``q_idx``) or an unknown scalar (``b``)."""
    return (isinstance(v, Tensor) and v.index_axis in ("q", "k")) or isinstance(v, Unknown)


def _kept_dims(idx, rank: int) -> list:
    """For each dimension after indexing with ``idx``, the old dimension it is (None: a new one);
    [] when an ellipsis hides the mapping."""
    kept, old = [], 0
    for kind, v, _ in idx:
        if kind != "index":
            kept.append(old)
            old += 1
        elif isinstance(v, Const) and v.value is None:
            kept.append(None)
        elif algebra.as_int(v) is not None:
            old += 1
        else:
            return []
    if old > rank:
        return []  # more dimensions indexed than the mask is known to have: the rank was a guess
    return kept + list(range(old, rank))


def _index_tensor(base: Tensor, idx) -> AV:
    if base.index_axis is not None:
        kinds = [(k, v) for k, v, _ in idx]
        if len(kinds) == 2:
            (k0, v0), (k1, v1) = kinds
            if k0 == "slice" and k1 == "index" and isinstance(v1, Const) and v1.value is None:
                return replace(base, index_axis="q")
            if k0 == "index" and isinstance(v0, Const) and v0.value is None and k1 == "slice":
                return replace(base, index_axis="k")
        if len(kinds) == 1 and kinds[0][0] == "index" and isinstance(kinds[0][1], Const) and kinds[0][1].value is None:
            return replace(base, index_axis="k")
        return UNKNOWN
    if base.lengths:
        return base
    if base.positions is not None and [(k, v) for k, v, _ in idx] == [("index", Const(None))]:
        return base  # `self.pos(positions)[None]`: a leading axis to broadcast over the batch
    if all(kind == "slice" for kind, _, _ in idx):
        return Tensor(ref=base.ref, embedded=base.embedded, scores=base.scores, source=base.source)
    return Tensor(source=base.origin, scores=base.scores)
