"""Sinks: where masks are consumed.  Attention modules are built (``construct``) and called
(``ctx.sink``); hand-written attention consumes masks in ``scores.masked_fill(mask, -inf)``,
``torch.where(mask, scores, -inf)`` and ``scores + mask``; a flex ``mask_mod`` is consumed by
``create_block_mask``.  Everything about an API comes from its conventions entry."""
from __future__ import annotations

from typing import List

from masklint import conventions as C
from masklint._libcst import cst, walk
from masklint.analysis import names
from masklint.analysis.ctx import Arg, Ctx, kwarg
from masklint.analysis.sources import square_subsequent
from masklint.analysis.values import (
    AV,
    UNKNOWN,
    Const,
    Dt,
    FuncV,
    Instance,
    LambdaV,
    Mask,
    PartialV,
    Region,
    Tensor,
    TupleV,
    cell_truth,
    items_of,
    num_cell,
)


#: module methods that return the module itself
MODULE_RETURNS_SELF = frozenset({"to", "cuda", "cpu", "train", "eval", "float", "half", "double", "bfloat16",
                                 "requires_grad_", "to_empty", "share_memory", "apply", "type"})


def construct(ctx: Ctx, api: C.Api, args: List[Arg]) -> Instance:
    """``nn.MultiheadAttention(..., batch_first=True)``: an instance that remembers its layout."""
    bf = None
    if api.batch_first_ctor:
        v, _ = kwarg(args, "batch_first", api.batch_first_position)
        if v is None:
            # not given: the default (False), unless **kwargs / *args may carry it
            bf = None if any(star for _, _, _, star in args) else False
        elif isinstance(v, Const) and isinstance(v.value, bool):
            bf = v.value
    elif api.batch_first_from:
        layer, _ = kwarg(args, api.batch_first_from, 0)
        if isinstance(layer, Instance):
            return Instance(api, layer.batch_first, ctx.node, layer.layout)
    return Instance(api, bf, ctx.node, (ctx.module, ctx.node))


def instance_method(ctx: Ctx, inst: Instance, name: str, args: List[Arg]) -> AV:
    if name == "forward":
        return ctx.sink(inst.api, inst, args)
    if name == "generate_square_subsequent_mask":
        return square_subsequent(ctx, args)
    return UNKNOWN


def layout_owner(api: C.Api) -> str:
    """What decides an API's layout, in words: the module itself, or the layer it is built from."""
    return f"the {api.batch_first_from} of {api.display}" if api.batch_first_from else api.display


def result(api: C.Api, event) -> AV:
    """What an attention call returns: the output keeps the query's layout."""
    if api.returns == "none":
        return UNKNOWN
    queries = event.arg(api.sides[0][1]) if api.sides else None
    ref = queries.value.ref if queries is not None and isinstance(queries.value, Tensor) else None
    inst = event.instance
    seq_first = None
    if inst is not None and inst.batch_first is False and inst.layout is not None and \
            (api.batch_first_ctor or api.batch_first_from):
        seq_first = (inst.layout, layout_owner(api))  # built without batch_first=True
    out = Tensor(ref=ref, seq_first=seq_first, padding_of=_padding_hidden(api, event))
    return TupleV((out, UNKNOWN)) if api.returns == "tuple" else out


def _padding_hidden(api: C.Api, event):
    """Self-attention given a padding mask for its keys (an encoder's ``src_key_padding_mask``):
    its output is the padded sequence still, a memory whose padding a cross-attention must hide
    too.  (module, node) of the mask argument, else None."""
    if api.stack is C.Stack.DECODER or not event.is_self_attention():
        return None  # (cross-attention: its output is laid out like the queries)
    for p in api.params:
        arg = event.arg(p.name)
        if p.role is C.Role.KEY_PADDING and p.side in ("self", "src") and arg is not None and event.given(p.name) \
                and isinstance(arg.value, Mask) and arg.value.is_padding_shaped():
            return (event.module, arg.node)
    return None


# --------------------------------------------------------------------------- hand-written attention
def _normalised_here(ctx: Ctx) -> bool:
    """Hand-written attention normalises its scores over the keys: a masked_fill / where / +
    counts as an attention mask only in code that applies a softmax.  Logits masked and
    returned as they are (a pointer network's, a classifier's) are not attention scores.  A
    helper that masks the scores it is handed (``mask_(dot)``) counts when its caller applies
    the softmax."""
    if ctx.interp.scoring:
        return True  # a flex score_mod's scores: flex_attention applies the softmax
    frames = [ctx.frame]
    if ctx.frame.concrete:
        frames += reversed(ctx.interp.stack[:-1])
    for i, fr in enumerate(frames):
        if i and fr.fn is None:
            break  # a script's top level is no attention function
        if _applies_softmax(fr):
            return True
        if not fr.concrete:
            break  # the callers of a function run on its own are not known
    return False


def _applies_softmax(frame) -> bool:
    module = frame.module
    node = frame.fn.node if frame.fn is not None else module.tree
    cache = module.__dict__.setdefault("_normalised", {})  # per module: node ids stay valid
    if id(node) not in cache:
        # (a log_softmax makes log-probabilities: of a pointer's or a classifier's logits, not attention)
        cache[id(node)] = bool(names.NORMALISERS.search(module.tree.code_for_node(node).replace("log_softmax", "")))
    return cache[id(node)]


def masked_fill_on_scores(ctx: Ctx, mask: AV, mask_node, fill: AV, fill_node, upcast: bool = False,
                          scores: AV = None) -> None:
    """``scores.masked_fill(mask, -inf)``: hides the positions where the mask is True."""
    if not (isinstance(fill, Const) and fill.is_neg_large()):
        return
    if isinstance(mask, Mask) and _normalised_here(ctx):
        ctx.sink(C.MANUAL_MASKED_FILL, None, [(mask, mask_node, None, False)], scores=scores)
    if not upcast:
        ctx.constant("fill", fill, fill_node)


def where_on_scores(ctx: Ctx, cond: AV, cond_node, fill: AV, fill_node, scores: AV = None) -> AV:
    """``torch.where(mask, scores, -inf)``: keeps the positions where the mask is True."""
    if isinstance(cond, Mask) and _normalised_here(ctx):
        ctx.sink(C.MANUAL_WHERE, None, [(cond, cond_node, None, False)], scores=scores)
    ctx.constant("fill", fill, fill_node)
    return Tensor(scores=True, source=scores.source if isinstance(scores, Tensor) else None)


ADDED_AS_BINARY = "added to the scores as 0/1"
ZERO_FILLED = "scores filled with 0 where it is True"


def scores_plus_mask(ctx: Ctx, m: Mask, mask_node, scores: AV = None) -> None:
    """``scores + mask``: the mask is added to the attention logits.  A bool mask adds 0/1."""
    if m.dtype is Dt.BOOL:
        m = ctx.step(m, ADDED_AS_BINARY, dtype=Dt.FLOAT, inside=num_cell(m.inside),
                     outside=num_cell(m.outside))
    ctx.sink(C.MANUAL_ADD, None, [(m, mask_node, None, False)], scores=scores)


def softmax_of(ctx: Ctx, t: AV) -> None:
    """A softmax over scores that a 0/1 mask multiplied (``softmax(scores * mask)``): the masked
    scores are 0, and exp(0) still gets weight.  Not where the function multiplies the same mask
    in once more (AllenNLP's ``masked_softmax``: ``softmax(x * mask) * mask``, then renormalised)."""
    if isinstance(t, Tensor) and t.bare and _weighs_values(ctx) and not _masked_after(ctx):
        # q @ k^T normalised as it is: hand-written attention with no mask at all
        ctx.sink(C.MANUAL_SOFTMAX, None, [], scores=t)
        return
    if isinstance(t, Tensor) and t.zeroed is not None:
        m, node = t.zeroed
        if _multiplied_again(ctx, node):
            return
        ctx.sink(C.MANUAL_MUL, None, [(m, node, None, False)], scores=t)


def _weighs_values(ctx: Ctx) -> bool:
    """Do the probabilities the running softmax call makes weigh values: ``probs @ v``,
    ``torch.matmul(probs, v)`` / ``bmm``, ``einsum("...", probs, v)``, the call itself or the name
    it is assigned to (a classifier's or a prototype head's softmax is not attention)?"""
    uses = _probability_uses(ctx)
    if uses is None:
        return False
    at = uses.targets.get(id(ctx.node))
    return id(ctx.node) in uses.calls or (at is not None and at[1] in uses.used)


def _masked_after(ctx: Ctx) -> bool:
    """Are the probabilities the running softmax call makes masked later in the function
    (``w = scores.softmax(-1); w = w * tril(...)``, ``w.masked_fill(pad, 0)``, then renormalised)?"""
    uses = _probability_uses(ctx)
    at = uses.targets.get(id(ctx.node)) if uses is not None else None
    return at is not None and any(pos > at[0] and name == at[1] for pos, name in uses.masked)


class _Uses:
    """What the running function does with the values of its calls, read once per function:
    ``targets``, id(call) -> (order, name) of ``name = ...call...``; ``calls``, the ids of the calls
    inside an operand that weighs values (``... @ v``, ``matmul``/``bmm``/``baddbmm``'s first,
    ``einsum``'s first operand); ``used``, the names used as such an operand; ``masked``, (order,
    name) of ``name * x``, ``name.masked_fill(...)``, ``name.mul(...)``, ``name *= x``.  Visiting
    order stands for source order (no position metadata needed)."""

    __slots__ = ("targets", "calls", "used", "masked")

    def __init__(self):
        self.targets: dict = {}
        self.calls: set = set()
        self.used: set = set()
        self.masked: list = []


def _probability_uses(ctx: Ctx):
    fn = ctx.frame.fn
    if fn is None:
        return None
    cache = ctx.module.__dict__.setdefault("_probability_uses", {})  # per module: node ids stay valid
    if id(fn.node) in cache:
        return cache[id(fn.node)]
    uses = cache[id(fn.node)] = _Uses()
    order = [0]

    def operand(node) -> None:
        class Inside(cst.CSTVisitor):
            def visit_Call(self, call):
                uses.calls.add(id(call))

        walk(node, Inside())
        if isinstance(node, cst.Name):
            uses.used.add(node.value)

    class Find(cst.CSTVisitor):
        def visit_Assign(self, node):
            order[0] += 1
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                at = (order[0], node.targets[0].target.value)

                class Calls(cst.CSTVisitor):
                    def visit_Call(self, call):
                        uses.targets[id(call)] = at

                walk(node.value, Calls())

        def visit_BinaryOperation(self, node):
            order[0] += 1
            if isinstance(node.operator, cst.MatrixMultiply):
                operand(node.left)
            elif isinstance(node.operator, cst.Multiply):
                for side in (node.left, node.right):
                    if isinstance(side, cst.Name):
                        uses.masked.append((order[0], side.value))

        def visit_AugAssign(self, node):
            order[0] += 1
            if isinstance(node.operator, cst.MultiplyAssign) and isinstance(node.target, cst.Name):
                uses.masked.append((order[0], node.target.value))

        def visit_Call(self, node):
            order[0] += 1
            f = node.func
            tail = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else ""
            if tail in ("matmul", "bmm", "baddbmm") and node.args:
                operand(node.args[0].value)
            elif tail == "einsum":
                for a in node.args[1:2]:
                    operand(a.value)
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and \
                    tail in ("masked_fill", "masked_fill_", "mul", "mul_"):
                uses.masked.append((order[0], f.value.value))

    walk(fn.node, Find())
    return uses


def _multiplied_again(ctx: Ctx, node) -> bool:
    """Does the running function multiply by the tensor ``node`` starts from in another product,
    and divide somewhere (the renormalisation)?"""
    from masklint.analysis.operators import root_name

    root = root_name(node)
    fn = ctx.frame.fn
    if root is None or fn is None:
        return False
    cache = ctx.module.__dict__.setdefault("_mask_products", {})  # per module: node ids stay valid
    if id(fn.node) not in cache:
        found: dict = {}
        divides = []

        class Products(cst.CSTVisitor):
            def visit_BinaryOperation(self, op):
                if isinstance(op.operator, cst.Multiply):
                    for side in (op.left, op.right):
                        name = root_name(side)
                        if name is not None:
                            found.setdefault(name, []).append(side)
                elif isinstance(op.operator, cst.Divide):
                    divides.append(op)

            def visit_AugAssign(self, op):
                if isinstance(op.operator, cst.DivideAssign):
                    divides.append(op)

        walk(fn.node, Products())
        cache[id(fn.node)] = found if divides else {}  # multiplied in again and renormalised
    inside = set()

    class Within(cst.CSTVisitor):
        def on_visit(self, n) -> bool:
            inside.add(id(n))
            return True

    walk(node, Within())
    return any(id(side) not in inside for side in cache[id(fn.node)].get(root, ()))


def head_mask_product(ctx: Ctx, t: Tensor, head_mask: AV, node) -> AV:
    """``probs * head_mask`` (or, wrongly, ``scores * head_mask``): a head mask is consumed."""
    api = C.HEAD_MASK_PROBS if t.probs else C.HEAD_MASK_SCORES
    ctx.sink(api, None, [(head_mask, node, None, False)])
    return Tensor(ref=t.ref, source=t.source, scores=t.scores, probs=t.probs)


# --------------------------------------------------------------------------- flex
def flex_score_mod(ctx: Ctx, api: C.Api, args: List[Arg]) -> None:
    """``flex_attention(q, k, v, score_mod=fn)``: ``fn(score, b, h, q_idx, kv_idx)`` returns each
    score before the softmax, so a mask it adds is added to the scores (``score + mask[b][h][q][kv]``)."""
    fn_val, _ = kwarg(args, *api.score_mod)
    fn_val = ctx.interp.force(fn_val)
    index = [Tensor(scores=True), UNKNOWN, UNKNOWN, Tensor(index_axis="q"), Tensor(index_axis="k")]
    outer, ctx.interp.scoring = ctx.interp.scoring, True
    try:
        if isinstance(fn_val, LambdaV) and len(fn_val.node.params.params) == 5:
            ctx.call_lambda(fn_val, index)
        elif isinstance(fn_val, FuncV) and len(fn_val.fn.params()) == 5:
            names_ = [p.name.value for p in fn_val.fn.params()]
            sub = ctx.run_function(fn_val.fn, [], dict(zip(names_, index)))
            ctx.frame.findings.extend(sub.findings)
    finally:
        ctx.interp.scoring = outer


def flex_builder(ctx: Ctx, args: List[Arg]) -> AV:
    """``create_block_mask(mask_mod, ...)``: run the mask_mod on index vectors, sink what it returns."""
    fn_val, fn_node = kwarg(args, "mask_mod", 0)
    fn_val = ctx.interp.force(fn_val)
    if isinstance(fn_val, LambdaV):  # create_block_mask(lambda b, h, q, kv: q >= kv, ...)
        params = fn_val.node.params.params
        if len(params) >= 4:
            index = [UNKNOWN, UNKNOWN, Tensor(index_axis="q"), Tensor(index_axis="k")]
            ret = ctx.call_lambda(fn_val, index + [UNKNOWN] * (len(params) - 4))
            if isinstance(ret, Mask):
                ret = ctx.step(ret, "mask_mod lambda returns")
                ctx.sink(C.FLEX_MASK_BUILDERS, None, [(ret, fn_node, None, False)])
        return UNKNOWN
    bound: dict = {}
    if isinstance(fn_val, PartialV) and isinstance(fn_val.target, FuncV) and not any(star for *_, star in fn_val.args):
        # `functools.partial(packed_causal, mol_id=mol_id)`, `partial(window_mod, 64)`: the mask_mod
        # with its extra arguments bound, by name or from the first parameter on
        names_ = [p.name.value for p in fn_val.target.fn.params()]
        pos = [v for v, _, kw, _ in fn_val.args if kw is None]
        bound = {**dict(zip(names_, pos)), **{kw: v for v, _, kw, _ in fn_val.args if kw is not None}}
        fn_val = fn_val.target
    if isinstance(fn_val, FuncV):
        fn = fn_val.fn
        params = [p.name.value for p in fn.params() if p.name.value not in bound]
        if len(params) >= 4:
            kw = {params[0]: UNKNOWN, params[1]: UNKNOWN, params[2]: Tensor(index_axis="q"),
                  params[3]: Tensor(index_axis="k"), **bound}
            ret = ctx.run_function(fn, [], kw).ret
            if isinstance(ret, Mask):
                ret = ret.step(fn.node.name, fn.module, f"mask_mod `{fn.name}` returns")
                ctx.sink(C.FLEX_MASK_BUILDERS, None, [(ret, fn_node, None, False)])
    return UNKNOWN


def returned_batch(ctx: Ctx, v: AV) -> None:
    """A collate function returning padded token ids with a mask that hides nothing
    (``attention_mask = torch.ones_like(input_ids)`` after padding): the model will attend to the
    padding (ML505)."""
    items = items_of(v)
    if not any(isinstance(i, Tensor) and i.padded_ids for i in items):
        return
    for m in items:
        if isinstance(m, Mask) and not m.assumed and m.region is Region.ALL and \
                cell_truth(m.inside) is True and m.dtype in (Dt.INT, Dt.BOOL, Dt.FLOAT):
            ctx.constant("ones_mask_for_padded", Const(1), m.evidence[-1].node if m.evidence else ctx.node, m)
            return
