"""Transfer functions: what torch (and a little TensorFlow) functions, methods and operators do
to abstract mask values.  Each one appends a step to the mask's evidence chain."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Optional

import libcst as cst

from masklint import conventions as C
from masklint.analysis.values import (
    AV,
    COMPLEMENT,
    TRANSPOSE,
    UNKNOWN,
    Cell,
    Const,
    Dt,
    DType,
    EmbeddingV,
    FuncV,
    Instance,
    LinearV,
    Mask,
    ModuleListV,
    ObjV,
    Qual,
    Region,
    ShapeV,
    ClassV,
    DictV,
    PartialV,
    Size,
    SizeRef,
    SplitV,
    Tensor,
    TensorRef,
    TupleV,
    Unknown,
    bool_cell,
    cell_truth,
    join,
    num_cell,
    tril_region,
    triu_region,
)

BUILTINS = {"float", "int", "len", "bool", "range", "max", "min", "list", "tuple", "getattr", "isinstance"}

API_TAILS = {
    "MultiheadAttention": C.MHA,
    "TransformerEncoderLayer": C.ENCODER_LAYER,
    "TransformerEncoder": C.ENCODER,
    "TransformerDecoderLayer": C.DECODER_LAYER,
    "TransformerDecoder": C.DECODER,
    "Transformer": C.TRANSFORMER,
}

_DTYPES = {
    "bool": Dt.BOOL,
    "float": Dt.FLOAT, "float32": Dt.FLOAT, "float16": Dt.FLOAT, "half": Dt.FLOAT, "bfloat16": Dt.FLOAT,
    "float64": Dt.FLOAT, "double": Dt.FLOAT,
    "int": Dt.INT, "int32": Dt.INT, "int64": Dt.INT, "long": Dt.INT, "uint8": Dt.INT, "int8": Dt.INT,
    "int16": Dt.INT, "short": Dt.INT,
}
_CONVERT_METHODS = {
    "bool": Dt.BOOL, "float": Dt.FLOAT, "half": Dt.FLOAT, "double": Dt.FLOAT, "bfloat16": Dt.FLOAT,
    "int": Dt.INT, "long": Dt.INT, "byte": Dt.INT, "short": Dt.INT, "char": Dt.INT,
}
_IDENTITY_METHODS = {
    "detach", "clone", "contiguous", "cuda", "cpu", "requires_grad_", "pin_memory", "to_dense",
    "squeeze_", "share_memory_", "clone_",
}
_TENSOR_KEEP = _IDENTITY_METHODS | {"float", "long", "int", "half", "double", "bool", "type_as", "to", "type",
                                    "masked_fill", "masked_fill_", "mul", "add", "squeeze", "flatten"}

_PAD_NAME = re.compile(r"pad", re.I)
_TOKENISH = re.compile(r"(^|[._])(ids?|input_ids|tokens?|toks|src|tgt|trg|source|target|inputs?|seq|text|words?|x)$")
_LENISH = re.compile(r"(^|_)(len|lens|lengths?|seq_lens?|src_lens?|tgt_lens?|x_lens?|lengths_)$|lengths?$|_lens?$")
_VOCAB = re.compile(r"vocab|token|n_class|ntoken|num_embeddings|n_vocab", re.I)

NEG_INF = float("-inf")
FINFO_MIN = -3.4028234663852886e38


def mk(interp, dtype, region, inside, outside, node, text, **kw) -> Mask:
    from masklint.analysis.values import Evidence

    return Mask(dtype, region, inside, outside, evidence=(Evidence(node, interp.frame.module, text),), **kw)


def code(interp, node) -> str:
    return interp.frame.module.code_of(node)


# ----------------------------------------------------------------------------- sources
def param_source(name, param, fn, interp) -> AV:
    """What a parameter holds when we do not know the caller."""
    if name in C.HF_ATTENTION_MASK_NAMES:
        return Mask(
            Dt.INT,
            Region.REAL,
            Cell.ONE,
            Cell.ZERO,
            evidence=(_ev(param, fn.module, f"parameter `{name}` (Hugging Face convention: int, 1 = real token)"),),
            rank=2,
            dim0="N",
            ref=TensorRef(name),
            assumed=True,
        )
    if name in ("self", "cls"):
        return UNKNOWN
    if _LENISH.search(name):
        return Tensor(ref=TensorRef(name), lengths=True)
    return Tensor(ref=TensorRef(name))


def hf_mask(interp, node, text) -> Mask:
    return mk(interp, Dt.INT, Region.REAL, Cell.ONE, Cell.ZERO, node, text, rank=2, dim0="N")


def _ev(node, module, text):
    from masklint.analysis.values import Evidence

    return Evidence(node, module, text)


def const_cell(v: AV) -> Optional[Cell]:
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
        if x <= -1e4 or (isinstance(x, float) and math.isinf(x) and x < 0):
            return Cell.NEG
        return Cell.OTHER
    return None


def dtype_of(v: AV) -> Optional[Dt]:
    if isinstance(v, DType):
        return v.dt
    if isinstance(v, Qual):
        tail = v.name.rsplit(".", 1)[-1]
        if v.name.startswith(("torch.", "tensorflow.", "tf.", "numpy.", "builtins.")) and tail in _DTYPES:
            return _DTYPES[tail]
    if isinstance(v, Const) and v.value in ("bool", "float32", "float16", "int64", "int32"):
        return _DTYPES[v.value]
    return None


def kwarg(args, name, pos=None):
    for value, node, kw, star in args:
        if kw == name:
            return value, node
    if pos is not None:
        positional = [a for a in args if a[2] is None and not a[3]]
        if pos < len(positional):
            return positional[pos][0], positional[pos][1]
    return None, None


def positional(args):
    return [a for a in args if a[2] is None and not a[3]]


def sizes_of(args, skip_kw=True):
    """The size arguments of torch.ones(...)-style calls: (rank, sized refs)."""
    pos = positional(args)
    size_kw, _ = kwarg(args, "size")
    vals = [a[0] for a in pos]
    if size_kw is not None:
        vals = [size_kw]
    if len(vals) == 1 and isinstance(vals[0], TupleV):
        vals = list(vals[0].items)
    elif len(vals) == 1 and not isinstance(vals[0], (Size, Const)):
        return None, ()
    sized = tuple(v.ref for v in vals if isinstance(v, Size))
    return len(vals), sized


# ----------------------------------------------------------------------------- qualified names
def qual_attr(interp, base: Qual, attr: str) -> AV:
    name = f"{base.name}.{attr}"
    if base.name.startswith("torch.finfo("):
        if attr == "min":
            return Const(FINFO_MIN, finfo_min=True, adaptive=base.name.endswith("(adaptive)"))
        if attr == "max":
            return Const(-FINFO_MIN, finfo_min=True, adaptive=base.name.endswith("(adaptive)"))
        return UNKNOWN
    if name in ("math.inf", "numpy.inf", "torch.inf", "numpy.Inf"):
        return Const(float("inf"))
    if attr == "newaxis" and base.name in ("tensorflow", "numpy", "tf"):
        return Const(None)
    dt = dtype_of(Qual(name))
    if dt is not None and base.name in ("torch", "tensorflow", "numpy", "tf"):
        return DType(dt, attr)
    return interp.qual_value(name)


def call_qual(interp, q: str, node, args, frame) -> AV:
    tail = q.rsplit(".", 1)[-1]
    pos = positional(args)
    if q == "builtins.float" and pos:
        v = pos[0][0]
        if isinstance(v, Const) and isinstance(v.value, str):
            try:
                return Const(float(v.value))
            except ValueError:
                return UNKNOWN
        return v if isinstance(v, Const) else UNKNOWN
    if q == "builtins.len" and pos:
        v = pos[0][0]
        if isinstance(v, Tensor) and v.ref is not None:
            return Size(SizeRef(v.ref, 0), node)
        return UNKNOWN
    if q in ("builtins.int", "builtins.max", "builtins.min"):
        return UNKNOWN
    if q.startswith("torch."):
        return _torch_call(interp, q, tail, node, args, frame)
    if q.startswith(("tensorflow.", "tf.")):
        return _tf_call(interp, q, tail, node, args, frame)
    if q in ("copy.deepcopy", "copy.copy") and pos:
        return pos[0][0]
    if q == "functools.partial" and pos and isinstance(pos[0][0], (Qual, ClassV, FuncV)):
        return PartialV(pos[0][0], tuple(args[1:]))
    if q in ("math.sqrt",):
        return UNKNOWN
    return UNKNOWN


def _torch_call(interp, q, tail, node, args, frame) -> AV:
    pos = positional(args)
    if q in C.GENERATE_SQUARE_SUBSEQUENT_MASK or tail == "generate_square_subsequent_mask":
        return _square_subsequent(interp, node, args)
    if q.startswith("torch.nn.attention.flex_attention."):
        if tail in ("create_block_mask", "create_mask"):
            return flex_builder(interp, node, args, frame)
    if tail in ("ones", "zeros", "full", "empty", "ones_like", "zeros_like", "full_like", "empty_like") and (
        q.count(".") == 1
    ):
        return _constant(interp, tail, node, args)
    if q in ("torch.tril", "torch.triu") and pos:
        d, _ = kwarg(args, "diagonal", 1)
        return _tri(interp, pos[0][0], tail, d, node)
    if q in ("torch.logical_not", "torch.bitwise_not") and pos:
        return method(interp, pos[0][0], "logical_not", [], node, frame, pos[0][1])
    if q == "torch.where" and len(pos) == 3:
        return _where(interp, pos, node, frame)
    if q == "torch.arange":
        return Tensor(index_axis="1d")
    if q in ("torch.finfo", "torch.iinfo"):
        arg = pos[0][0] if pos else None
        fixed = isinstance(arg, DType) and arg.name in ("float32", "float", "float64", "double")
        return Qual("torch.finfo()" if fixed else "torch.finfo(adaptive)")
    if q in ("torch.matmul", "torch.bmm", "torch.einsum", "torch.baddbmm"):
        return Tensor(scores=True)
    if q in ("torch.eq", "torch.ne", "torch.lt", "torch.le", "torch.gt", "torch.ge") and len(pos) == 2:
        return compare_values(interp, pos[0][0], pos[1][0], tail, node, pos[0][1], pos[1][1])
    if q == "torch.nn.Embedding" or q.endswith(".Embedding"):
        return EmbeddingV()
    if q in ("torch.nn.Linear", "torch.nn.modules.linear.Linear"):
        out = kwarg(args, "out_features", 1)[1]
        return LinearV(vocab=bool(out is not None and _VOCAB.search(code(interp, out))))
    if q == "torch.nn.ModuleDict":
        first = pos[0][0] if pos else None
        return first if isinstance(first, DictV) else UNKNOWN
    if q in ("torch.nn.ModuleList", "torch.nn.Sequential"):
        items = []
        for v, _, kw, _ in args:
            if isinstance(v, TupleV):
                items.extend(v.items)
            elif isinstance(v, (Instance, ObjV)):
                items.append(v)
        if items:
            item = items[0]
            for it in items[1:]:
                item = join(item, it) if type(it) is type(item) else item
            return ModuleListV(item)
        return ModuleListV(UNKNOWN)
    if tail in ("softmax", "dropout", "layer_norm", "relu", "gelu", "silu"):
        return passthrough(args)
    if q == "torch.cat" and pos:
        return _cat(interp, node, args)
    return UNKNOWN


def _cat(interp, node, args) -> AV:
    """``torch.cat([m] * num_heads, 0)`` / ``torch.cat([m for _ in range(num_heads)])``: head-major tiling."""
    dim, _ = kwarg(args, "dim", 1)
    if dim is not None and _int(dim) != 0:
        return UNKNOWN
    seq = node.args[0].value
    item = heads = None
    if isinstance(seq, cst.BinaryOperation) and isinstance(seq.operator, cst.Multiply):
        lst, heads = (seq.left, seq.right) if isinstance(seq.left, cst.List) else (seq.right, seq.left)
        if isinstance(lst, cst.List) and len(lst.elements) == 1:
            item = lst.elements[0].value
    elif isinstance(seq, cst.ListComp) and isinstance(seq.for_in.iter, cst.Call) and seq.for_in.inner_for_in is None:
        it = seq.for_in.iter
        if code(interp, it.func) == "range" and len(it.args) == 1:
            item, heads = seq.elt, it.args[0].value
    if item is None or heads is None or not re.search(r"head", code(interp, heads), re.I):
        return UNKNOWN
    if re.search(r"bsz|batch|\*", code(interp, heads)):
        return UNKNOWN
    v = interp.eval(item, interp.frame)
    text = f"torch.cat([...] * {code(interp, heads)})"
    if isinstance(v, Mask):
        if v.dim0 == "1":
            return UNKNOWN
        return v.step(node, interp.frame.module, text, rank=3, dim0="NH", head_order="tile", head_node=node)
    if isinstance(v, (Tensor, Unknown)):
        return mk(interp, Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, node, text, rank=3, dim0="NH",
                  head_order="tile", head_node=node)
    return UNKNOWN


def _tf_call(interp, q, tail, node, args, frame) -> AV:
    pos = positional(args)
    if tail == "band_part" and len(pos) >= 3:
        lo, hi = pos[1][0], pos[2][0]
        x = pos[0][0]
        if isinstance(lo, Const) and isinstance(hi, Const):
            if lo.value == -1 and hi.value == 0:
                return _tri(interp, x, "tril", Const(0), node, label="tf.linalg.band_part(x, -1, 0)")
            if lo.value == 0 and hi.value == -1:
                return _tri(interp, x, "triu", Const(0), node, label="tf.linalg.band_part(x, 0, -1)")
        return UNKNOWN
    if tail in ("ones", "zeros", "fill", "ones_like", "zeros_like"):
        out = _constant(interp, tail, node, args, default=Dt.FLOAT)
        if isinstance(out, Mask) and out.evidence:
            ev = out.evidence[-1]
            out = replace(out, evidence=out.evidence[:-1] + (replace(ev, text=ev.text.replace("torch.", "tf.", 1)),))
        return out
    if tail == "cast" and len(pos) >= 1:
        dt = dtype_of(kwarg(args, "dtype", 1)[0])
        x = pos[0][0]
        if isinstance(x, Mask) and dt is not None:
            return _convert(interp, x, dt, node, f"tf.cast(..., {dt.value})")
        return UNKNOWN
    if tail in ("equal", "not_equal", "less", "greater", "less_equal", "greater_equal") and len(pos) == 2:
        op = {"equal": "eq", "not_equal": "ne", "less": "lt", "greater": "gt", "less_equal": "le",
              "greater_equal": "ge"}[tail]
        return compare_values(interp, pos[0][0], pos[1][0], op, node, pos[0][1], pos[1][1])
    if tail == "logical_not" and pos:
        return method(interp, pos[0][0], "logical_not", [], node, frame, pos[0][1])
    if tail == "range":
        return Tensor(index_axis="1d")
    return UNKNOWN


def _square_subsequent(interp, node, args) -> AV:
    sz, _ = kwarg(args, "sz", 0)
    dt = dtype_of(kwarg(args, "dtype")[0])
    sized = (sz.ref,) if isinstance(sz, Size) else ()
    if dt is Dt.BOOL:
        return mk(interp, Dt.BOOL, Region.SUPER, Cell.TRUE, Cell.FALSE, node,
                  "generate_square_subsequent_mask(dtype=torch.bool)", rank=2, dim0="L", sized=sized,
                  causal_source=True)
    return mk(interp, Dt.FLOAT, Region.SUPER, Cell.NEG, Cell.ZERO, node,
              "generate_square_subsequent_mask (float, -inf above the diagonal)", rank=2, dim0="L", sized=sized,
              causal_source=True)


def _constant(interp, tail, node, args, default=Dt.FLOAT) -> AV:
    like = tail.endswith("_like")
    base = tail[:-5] if like else tail
    dt = dtype_of(kwarg(args, "dtype")[0])
    pos = positional(args)
    if base == "full" or base == "fill":
        fill, _ = kwarg(args, "fill_value", 1)
        if not pos:
            return UNKNOWN
        size_args = [pos[0]]
    else:
        fill = Const(1 if base == "ones" else 0)
        size_args = pos if not like else []
    if base == "empty":
        return UNKNOWN
    cell = const_cell(fill) if fill is not None else None
    if cell is None:
        return UNKNOWN
    if like:
        src = pos[0][0] if pos else UNKNOWN
        rank = src.rank if isinstance(src, Mask) else None
        dim0 = src.dim0 if isinstance(src, Mask) else None
        if dt is None and isinstance(src, Mask):
            dt = src.dtype
        sized = ()
    else:
        rank, sized = sizes_of(size_args)
        dim0 = None
    layout = None
    if len(sized) == 2 and sized[0].ref.root == sized[1].ref.root and {sized[0].root_dim(), sized[1].root_dim()} == {0, 1}:
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
    negs = ((fill, node),) if isinstance(fill, Const) and fill.is_neg_large() and not math.isinf(fill.value) else ()
    label = f"torch.{tail}" + ("(..., dtype=torch.bool)" if dt is Dt.BOOL else "")
    return mk(interp, dt, Region.ALL, cell, cell, node, label, rank=rank, dim0=dim0, sized=sized,
              neg_consts=negs, ref=layout)


def _tri(interp, x: AV, which: str, diag: AV, node, label=None) -> AV:
    k = diag.value if isinstance(diag, Const) and isinstance(diag.value, int) else (0 if diag is None else None)
    if not isinstance(x, Mask) or k is None or x.region is not Region.ALL:
        return UNKNOWN  # tril of something that is not a constant mask: structure unknown
    region = tril_region(k) if which == "tril" else triu_region(k)
    if region is Region.UNKNOWN:
        return UNKNOWN  # banded / sliding-window masks are not modelled
    zero = Cell.FALSE if x.dtype is Dt.BOOL else Cell.ZERO
    text = label or (f"torch.{which}" + (f"(diagonal={k})" if k else ""))
    return x.step(node, interp.frame.module, text, region=region, inside=x.inside, outside=zero,
                  dim0=x.dim0 or "L")


def _where(interp, pos, node, frame) -> AV:
    cond, a, b = (p[0] for p in pos)
    ca, cb = const_cell(a), const_cell(b)
    if isinstance(cond, Mask) and ca is not None and cb is not None:
        ts = cond.true_set()
        if ts in (Region.UNKNOWN,):
            return UNKNOWN
        dt = Dt.BOOL if ca in (Cell.TRUE, Cell.FALSE) else Dt.FLOAT
        negs = tuple((v, n) for v, n in ((a, pos[1][1]), (b, pos[2][1])) if isinstance(v, Const) and v.is_neg_large()
                     and not math.isinf(v.value))
        return cond.step(node, interp.frame.module, "torch.where", dtype=dt, region=ts, inside=ca, outside=cb,
                         neg_consts=cond.neg_consts + negs)
    if cb is Cell.NEG and not isinstance(a, Mask):
        # manual attention: torch.where(mask, scores, -inf) keeps where the mask is True
        if isinstance(cond, Mask):
            interp.sink(C.MANUAL_WHERE, None, node, [(cond, pos[0][1], None, False)], frame)
        value_event(interp, "fill", node, b, pos[2][1])
        return Tensor(scores=True)
    return UNKNOWN


def flex_builder(interp, node, args, frame) -> AV:
    fn_val, fn_node = kwarg(args, "mask_mod", 0)
    if isinstance(fn_val, FuncV):
        fn = fn_val.fn
        params = fn.params()
        if len(params) >= 4:
            names = [p.name.value for p in params]
            kw = {names[0]: UNKNOWN, names[1]: UNKNOWN, names[2]: Tensor(index_axis="q"),
                  names[3]: Tensor(index_axis="k")}
            env = interp.bind_params(fn, [], kw, None)
            sub = interp.run_function(fn, env, None)
            ret = sub.ret
            if isinstance(ret, Mask):
                ret = ret.step(fn.node.name, fn.module, f"mask_mod `{fn.name}` returns")
                interp.sink(C.FLEX_MASK_BUILDERS, None, node, [(ret, fn_node, None, False)], frame)
    return UNKNOWN


# ----------------------------------------------------------------------------- methods
def method(interp, recv: AV, name: str, args, node, frame, recv_node) -> AV:
    pos = positional(args)
    if isinstance(recv, Mask):
        return _mask_method(interp, recv, name, args, pos, node, frame, recv_node)
    if isinstance(recv, (Tensor, Unknown)):
        return _tensor_method(interp, recv, name, args, pos, node, frame, recv_node)
    if isinstance(recv, Size):
        return UNKNOWN
    return UNKNOWN


def _int(v: AV) -> Optional[int]:
    return v.value if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool) else None


def _mask_method(interp, m: Mask, name, args, pos, node, frame, recv_node) -> AV:
    mod = interp.frame.module
    base = name.rstrip("_") if name.endswith("_") and name not in ("__call__",) else name
    out = None
    if name in _IDENTITY_METHODS:
        return m
    if base in ("repeat", "tile", "expand") and len(pos) == 4 and _heads_major4(interp, pos, recv_node, m):
        out = m.step(node, mod, f".{name}({code(interp, pos[0][1])}, ...)", rank=4, dim0="H", head_order="tile4",
                     head_node=node)
    elif base in ("view", "reshape", "flatten") and m.head_order == "tile4":
        out = m.step(node, mod, f".{name}(...)", rank=3, dim0="NH", head_order="tile")
    elif base in _CONVERT_METHODS and not pos:
        out = _convert(interp, m, _CONVERT_METHODS[base], node, f".{name}()")
    elif base in ("to", "type"):
        dv, _ = kwarg(args, "dtype", None)
        if dv is None:
            for a in pos:
                if dtype_of(a[0]) is not None:
                    dv = a[0]
        dt = dtype_of(dv) if dv is not None else None
        if dt is None:
            texts = [code(interp, a[1]) for a in pos if a[1] is not None]
            kw_text = code(interp, kwarg(args, "dtype")[1]) if kwarg(args, "dtype")[1] is not None else ""
            if any(t.endswith("dtype") for t in texts + [kw_text]):
                # .to(x.dtype) / .to(dtype): the activations' dtype, a float
                out = _convert(interp, m, Dt.FLOAT, node, f".{name}({(texts + [kw_text])[0]})")
            elif kwarg(args, "dtype")[0] is not None:
                return replace(m, dtype=Dt.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER)
            else:
                return m  # .to(device)
        else:
            out = _convert(interp, m, dt, node, f".{name}({dt.value})")
    elif base == "type_as" and pos and isinstance(pos[0][0], Mask):
        out = _convert(interp, m, pos[0][0].dtype, node, ".type_as()")
    elif base in ("tril", "triu"):
        d, _ = kwarg(args, "diagonal", 0)
        out = _tri(interp, m, base, d if d is not None else Const(0), node)
    elif base in ("logical_not", "bitwise_not"):
        out = _invert(interp, m, node, f".{name}()")
    elif base in ("eq", "ne", "lt", "le", "gt", "ge") and pos:
        out = compare_values(interp, m, pos[0][0], base, node, recv_node, pos[0][1])
    elif base == "masked_fill" and len(pos) >= 2:
        out = _masked_fill(interp, m, pos[0][0], pos[1][0], node, pos[1][1], pos[0][1])
    elif base == "fill" and pos:
        c = const_cell(pos[0][0])
        if c is not None:
            if m.dtype is Dt.BOOL:
                c = bool_cell(cell_truth(c))
            out = m.step(node, mod, f".fill_({code(interp, pos[0][1])})", region=Region.ALL, inside=c, outside=c)
    elif base in ("unsqueeze",) and pos:
        d = _int(pos[0][0])
        rank = m.rank + 1 if m.rank is not None else None
        dim0 = "1" if d == 0 else m.dim0
        out = replace(m, rank=rank, dim0=dim0)
    elif base == "squeeze":
        out = replace(m, rank=None if m.rank is None else (m.rank - 1 if pos else None))
    elif base in ("view", "reshape", "expand"):
        dims = pos
        if len(dims) == 1 and isinstance(dims[0][0], TupleV):
            dims = [(v, None, None, False) for v in dims[0][0].items]
        rank = len(dims) if dims else None
        d0 = _int(dims[0][0]) if dims else None
        dim0 = "1" if d0 == 1 else (m.dim0 if base == "expand" and d0 == -1 else None)
        if base == "expand" and m.dim0 == "1" and dims and isinstance(dims[0][0], Size):
            dim0 = "N"
        out = replace(m, rank=rank, dim0=dim0)
    elif base == "expand_as":
        out = replace(m, rank=None, dim0=None)
    elif base in ("repeat", "tile") and pos:
        counts = [a for a in pos]
        rank = max(len(counts), m.rank or 0)
        first = counts[0][1]
        text = code(interp, first) if first is not None else ""
        if len(counts) == 3 and m.dim0 != "1" and _heads_tiled(interp, counts, recv_node):
            out = m.step(node, mod, f".repeat({text}, 1, 1)", rank=3, dim0="NH", head_order="tile", head_node=node)
        else:
            out = replace(m, rank=rank, dim0=None if _int(counts[0][0]) != 1 else m.dim0)
    elif base == "repeat_interleave" and pos:
        out = m.step(node, mod, ".repeat_interleave(...)", dim0="NH", head_order="interleave")
    elif base in ("transpose", "permute", "t"):
        ints = [_int(a[0]) for a in pos]
        known = sorted(i for i in ints if i is not None) if None not in ints else None
        swap01 = _swaps_first_two(base, ints)
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
        if swap_last or (base == "t"):
            if m.rank is None and m.region in TRANSPOSE and not (base == "t" or name == "mT"):
                region = Region.UNKNOWN  # transpose(0, 1) of a mask of unknown rank: maybe (N*H, L, S)
            else:
                region = TRANSPOSE.get(m.region, m.region)
        if m.region in (Region.PAD, Region.REAL):
            region = m.region
        ref = m.ref.flip() if (m.ref is not None and swap01) else m.ref
        if region is m.region and ref == m.ref:
            return m
        out = m.step(node, mod, f".{name}()", region=region, ref=ref)
    elif base in ("flip", "roll", "sum", "cumsum", "all", "any", "max", "min", "mean"):
        return UNKNOWN
    elif base in ("size",):
        return UNKNOWN
    elif base in ("mul", "add", "sub"):
        if pos:
            op = {"mul": cst.Multiply(), "add": cst.Add(), "sub": cst.Subtract()}[base]
            return binop(interp, op, m, pos[0][0], node, frame, recv_node, pos[0][1])
        return UNKNOWN
    elif base in ("__and__", "logical_and", "logical_or", "__or__") and pos:
        op = cst.BitAnd() if "and" in base else cst.BitOr()
        return binop(interp, op, m, pos[0][0], node, frame, recv_node, pos[0][1])
    else:
        return UNKNOWN
    if out is None:
        return UNKNOWN
    if name.endswith("_") and isinstance(recv_node, cst.Name) and base not in ("unsqueeze", "squeeze"):
        frame.env[recv_node.value] = out  # in-place method: the name now holds the new value
    return out


def _tensor_method(interp, t: AV, name, args, pos, node, frame, recv_node) -> AV:
    ref = t.ref if isinstance(t, Tensor) else None
    if ref is None and isinstance(recv_node, cst.Name) and isinstance(t, Unknown):
        ref = None
    base = name[:-1] if name.endswith("_") else name
    if name == "size":
        if not pos:
            return ShapeV(ref)
        d = _int(pos[0][0])
        if ref is not None and d is not None and d >= 0:
            return Size(SizeRef(ref, d), node)
        return UNKNOWN
    if base == "masked_fill" and len(pos) >= 2:
        fill, fill_node = pos[1][0], pos[1][1]
        if isinstance(fill, Const) and fill.is_neg_large():
            mask = pos[0][0]
            if isinstance(mask, Mask):
                interp.sink(C.MANUAL_MASKED_FILL, None, node, [(mask, pos[0][1], None, False)], frame)
            value_event(interp, "fill", node, fill, fill_node)
        return Tensor(ref=ref, scores=isinstance(t, Tensor) and t.scores)
    if base in ("eq", "ne", "lt", "le", "gt", "ge") and pos:
        return compare_values(interp, t, pos[0][0], base, node, recv_node, pos[0][1])
    if base in ("new_ones", "new_zeros", "new_full", "new_empty"):
        return _constant(interp, base[4:], node, args)
    if base in ("repeat", "tile", "expand") and len(pos) == 4 and _heads_major4(interp, pos, recv_node, None):
        return mk(interp, Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, node,
                  f".{name}({code(interp, pos[0][1])}, ...)", rank=4, dim0="H", head_order="tile4", head_node=node)
    if base in ("repeat", "tile") and len(pos) == 3 and _heads_tiled(interp, pos, recv_node):
        text = code(interp, pos[0][1])
        return mk(interp, Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER, node, f".repeat({text}, 1, 1)",
                  rank=3, dim0="NH", head_order="tile", head_node=node)
    if isinstance(t, Tensor) and t.index_axis == "diff" and base == "abs":
        return Tensor(index_axis="absdiff")
    if isinstance(t, Tensor) and t.index_axis is not None:
        if base == "unsqueeze" and pos:
            d = _int(pos[0][0])
            axis = "k" if d == 0 else ("q" if d in (1, -1) else None)
            return Tensor(index_axis=axis)
        if base in ("view", "reshape") and len(pos) == 2:
            a, b = _int(pos[0][0]), _int(pos[1][0])
            if a == 1:
                return Tensor(index_axis="k")
            if b == 1:
                return Tensor(index_axis="q")
        if base in ("to", "expand", "long", "int", "float", "type_as", "cuda", "repeat"):
            return t
        return UNKNOWN
    if isinstance(t, Tensor) and t.lengths:
        if base == "unsqueeze" or base in ("to", "long", "view", "cuda", "reshape"):
            return t
        if base in ("max", "sum"):
            return UNKNOWN
    if base in ("transpose", "permute", "t") and ref is not None:
        swap01 = _swaps_first_two(base, [_int(a[0]) for a in pos])
        return Tensor(ref=ref.flip() if swap01 else ref, embedded=t.embedded) if swap01 or base != "permute" else \
            Tensor()
    if base == "sum" and isinstance(recv_node, cst.BaseExpression) and "mask" in code(interp, recv_node):
        return Tensor(lengths=True)
    if name in _TENSOR_KEEP and isinstance(t, Tensor):
        return Tensor(ref=ref, embedded=t.embedded, scores=t.scores)
    if base in ("softmax",):
        return Tensor(ref=ref)
    if name == "forward":
        return UNKNOWN
    if isinstance(t, Tensor) and t.origin is not None:
        if base in ("split", "chunk", "unbind", "tensor_split"):
            return SplitV(t.origin)
        # views, reshapes, projections: the layout is unknown, the origin is not
        return Tensor(source=t.origin, scores=t.scores)
    return UNKNOWN


def _swaps_first_two(base: str, ints) -> bool:
    """``t()``, ``transpose(0, 1)`` or ``permute(1, 0, ...)``: dims 0 and 1 change places."""
    if base == "t":
        return True
    if base == "transpose":
        return None not in ints and sorted(ints) == [0, 1]
    return base == "permute" and ints[:2] == [1, 0]


def _heads_major4(interp, counts, recv_node, m) -> bool:
    """``m.unsqueeze(0).repeat(num_heads, 1, 1, 1)`` (or expand): heads outermost, then batch."""
    text = code(interp, counts[0][1]) if counts[0][1] is not None else ""
    if not re.search(r"head", text, re.I) or re.search(r"bsz|batch|\*", text):
        return False
    if not all(_int(c[0]) in (1, -1) or not isinstance(c[0], Const) for c in counts[1:]):
        return False
    recv = code(interp, recv_node) if recv_node is not None else ""
    return bool(re.search(r"unsqueeze\(0\)$|\[None\]$|\[None, ", recv)) or (m is not None and m.dim0 == "1" and m.rank == 4)


def _heads_tiled(interp, counts, recv_node) -> bool:
    """``x.repeat(num_heads, 1, 1)``: tiles per-sample masks head-major."""
    text = code(interp, counts[0][1]) if counts[0][1] is not None else ""
    if not re.search(r"head", text, re.I) or re.search(r"bsz|batch|\bB\b|\bN\b|\bbs\b|\*", text):
        return False
    if not all(_int(c[0]) == 1 for c in counts[1:]):
        return False
    recv = code(interp, recv_node) if recv_node is not None else ""
    return not re.search(r"unsqueeze\(0\)$|^.*\[None\]$|\[None, ", recv)


def _convert(interp, m: Mask, dt: Dt, node, text) -> AV:
    if dt is m.dtype:
        return m
    if dt is Dt.BOOL:
        ti, to = cell_truth(m.inside), cell_truth(m.outside)
        return m.step(node, interp.frame.module, text, dtype=Dt.BOOL, inside=bool_cell(ti), outside=bool_cell(to),
                      assumed=m.assumed)
    inside, outside = num_cell(m.inside), num_cell(m.outside)
    if dt is Dt.INT and Cell.NEG in (inside, outside):
        inside = Cell.OTHER if inside is Cell.NEG else inside
        outside = Cell.OTHER if outside is Cell.NEG else outside
    return m.step(node, interp.frame.module, text, dtype=dt, inside=inside, outside=outside)


def _invert(interp, m: Mask, node, text) -> AV:
    if m.dtype is Dt.BOOL:
        return m.step(node, interp.frame.module, text, inside=_not(m.inside), outside=_not(m.outside))
    if text.startswith(".logical_not") or text.startswith("torch.logical_not"):
        ti, to = cell_truth(m.inside), cell_truth(m.outside)
        return m.step(node, interp.frame.module, text, dtype=Dt.BOOL, inside=bool_cell(None if ti is None else not ti),
                      outside=bool_cell(None if to is None else not to))
    return UNKNOWN  # ~ on an int / float tensor is a bitwise not: structure lost


def _not(c: Cell) -> Cell:
    return {Cell.TRUE: Cell.FALSE, Cell.FALSE: Cell.TRUE}.get(c, Cell.OTHER)


def _masked_fill(interp, m: Mask, cond: AV, fill: AV, node, fill_node, cond_node=None) -> AV:
    c = const_cell(fill)
    if c is None or not isinstance(cond, Mask):
        return UNKNOWN
    if m.dtype is Dt.BOOL:
        c = bool_cell(cell_truth(c))
    elif m.dtype is Dt.INT and c is Cell.NEG:
        c = Cell.OTHER
    ts = cond.true_set()
    if ts is Region.UNKNOWN:
        return UNKNOWN
    negs = m.neg_consts
    if isinstance(fill, Const) and fill.is_neg_large() and not math.isinf(fill.value):
        negs = negs + ((fill, fill_node),)
    value_event(interp, "fill", node, fill, fill_node)
    shown = code(interp, cond_node) if cond_node is not None else "mask"
    text = f".masked_fill({shown}, {code(interp, fill_node)})"
    mod = interp.frame.module
    if m.region is Region.ALL or m.inside == m.outside:
        return m.step(node, mod, text, region=ts, inside=c, outside=m.inside, neg_consts=negs,
                      sized=m.sized or cond.sized, rank=m.rank or cond.rank, ref=m.ref or cond.ref)
    if ts is Region.ALL:
        return m.step(node, mod, text, region=Region.ALL, inside=c, outside=c, neg_consts=negs)
    if ts is m.region:
        return m.step(node, mod, text, inside=c, neg_consts=negs)
    if ts is COMPLEMENT[m.region]:
        return m.step(node, mod, text, outside=c, neg_consts=negs)
    return UNKNOWN


# ----------------------------------------------------------------------------- comparisons
_OPS = {
    cst.Equal: "eq", cst.NotEqual: "ne", cst.LessThan: "lt", cst.LessThanEqual: "le", cst.GreaterThan: "gt",
    cst.GreaterThanEqual: "ge",
}
_FLIP = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le", "eq": "eq", "ne": "ne"}


def compare(interp, node: cst.Comparison, frame) -> AV:
    left = interp.eval(node.left, frame)
    if len(node.comparisons) != 1:
        for c in node.comparisons:
            interp.eval(c.comparator, frame)
        return UNKNOWN
    comp = node.comparisons[0]
    right = interp.eval(comp.comparator, frame)
    op = _OPS.get(type(comp.operator))
    if op is None:
        return UNKNOWN
    return compare_values(interp, left, right, op, node, node.left, comp.comparator)


def compare_values(interp, left, right, op, node, lnode, rnode) -> AV:
    mod = interp.frame.module
    if isinstance(right, Mask) and not isinstance(left, Mask):
        left, right, lnode, rnode, op = right, left, rnode, lnode, _FLIP[op]
    if isinstance(left, Mask):
        c = const_cell(right)
        if c is None:
            return UNKNOWN
        shown = code(interp, rnode) if rnode is not None else "?"

        def test(cell):
            if cell is Cell.OTHER:
                return None
            num = {Cell.TRUE: 1, Cell.FALSE: 0, Cell.ZERO: 0, Cell.ONE: 1, Cell.NEG: NEG_INF}[cell]
            ref = {Cell.TRUE: 1, Cell.FALSE: 0, Cell.ZERO: 0, Cell.ONE: 1, Cell.NEG: NEG_INF}.get(c)
            if ref is None:
                return None
            return {"eq": num == ref, "ne": num != ref, "lt": num < ref, "le": num <= ref, "gt": num > ref,
                    "ge": num >= ref}[op]

        sym = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
        return left.step(node, mod, f"{sym} {shown}", dtype=Dt.BOOL, inside=bool_cell(test(left.inside)),
                         outside=bool_cell(test(left.outside)))
    la = left.index_axis if isinstance(left, Tensor) else None
    ra = right.index_axis if isinstance(right, Tensor) else None
    if la == "absdiff" or ra == "absdiff":
        if ra == "absdiff":
            op = _FLIP[op]
        region = {"gt": Region.FAR, "ge": Region.FAR, "lt": Region.NEAR, "le": Region.NEAR}.get(op)
        if region is None:
            return UNKNOWN
        return mk(interp, Dt.BOOL, region, Cell.TRUE, Cell.FALSE, node, f"|i - j| {'>' if region is Region.FAR else '<='} window",
                  rank=2, dim0="L")
    if la in ("diff",) or ra in ("diff",):
        return _bool_unknown(interp, node)
    if la and ra:
        la = "k" if la == "1d" else la
        ra = "k" if ra == "1d" else ra
        if la == ra:
            return UNKNOWN
        if la == "k":
            op = _FLIP[op]
        # now: i (query) OP j (key)
        region = {"ge": Region.LOWER, "gt": Region.SUB, "le": Region.UPPER, "lt": Region.SUPER}.get(op)
        if region is None:
            return UNKNOWN
        sym = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
        return mk(interp, Dt.BOOL, region, Cell.TRUE, Cell.FALSE, node, f"query index {sym} key index", rank=2,
                  dim0="L")
    if la or ra:
        other, other_node = (right, rnode) if la else (left, lnode)
        if la is None:
            op = _FLIP[op]
        is_len = (isinstance(other, Tensor) and other.lengths) or (
            other_node is not None and _LENISH.search(code(interp, other_node).split("[")[0].split(".")[-1] or "")
        ) or isinstance(other, Size)
        if not is_len or isinstance(other, Size):
            return UNKNOWN
        # position j OP length
        region = {"lt": Region.REAL, "le": None, "ge": Region.PAD, "gt": None}.get(op)
        if region is None:
            return UNKNOWN
        return mk(interp, Dt.BOOL, region, Cell.TRUE, Cell.FALSE, node,
                  f"positions {'<' if op == 'lt' else '>='} lengths", rank=2, dim0="N")
    if op in ("eq", "ne") and not isinstance(left, Const):
        rtext = code(interp, rnode) if rnode is not None else ""
        ltext = code(interp, lnode) if lnode is not None else ""
        padlike = bool(_PAD_NAME.search(rtext)) and not isinstance(right, (Mask,))
        zero_tok = isinstance(right, Const) and right.value == 0 and bool(_TOKENISH.search(ltext.split("[")[0]))
        if padlike or zero_tok:
            ref = left.ref if isinstance(left, Tensor) else None
            region = Region.PAD if op == "eq" else Region.REAL
            sym = "==" if op == "eq" else "!="
            return mk(interp, Dt.BOOL, region, Cell.TRUE, Cell.FALSE, node, f"`{ltext} {sym} {rtext}`", rank=2,
                      dim0="N", ref=ref)
    if isinstance(left, Tensor) or isinstance(right, Tensor):
        return _bool_unknown(interp, node)
    return UNKNOWN


def _bool_unknown(interp, node) -> Mask:
    """A comparison of tensors: a bool mask whose structure we cannot tell."""
    return mk(interp, Dt.BOOL, Region.UNKNOWN, Cell.TRUE, Cell.FALSE, node, "a comparison")


# ----------------------------------------------------------------------------- operators
def unary(interp, node, v: AV, frame) -> AV:
    op = node.operator
    if isinstance(op, cst.Minus) and isinstance(v, Const) and isinstance(v.value, (int, float)):
        origin = (v.origin[0], node) if v.origin is not None else None
        return Const(-v.value, finfo_min=v.finfo_min, adaptive=v.adaptive, origin=origin)
    if isinstance(op, cst.BitInvert) and isinstance(v, Mask):
        return _invert(interp, v, node, "~")
    if isinstance(op, cst.Not):
        return UNKNOWN
    return UNKNOWN


def binop(interp, op, left, right, node, frame, lnode, rnode) -> AV:
    t = type(op)
    mod = interp.frame.module
    if t is cst.MatrixMultiply:
        return Tensor(scores=True)
    if t is cst.Subtract and isinstance(left, Tensor) and isinstance(right, Tensor) and left.index_axis and right.index_axis:
        return Tensor(index_axis="diff")
    if isinstance(left, Const) and isinstance(right, Const):
        try:
            a, b = left.value, right.value
            val = {cst.Add: lambda: a + b, cst.Subtract: lambda: a - b, cst.Multiply: lambda: a * b}.get(t)
            return Const(val()) if val else UNKNOWN
        except Exception:
            return UNKNOWN
    if isinstance(left, Mask) and isinstance(right, Mask):
        return _mask_mask(interp, t, left, right, node, rnode)
    if isinstance(left, Mask) or isinstance(right, Mask):
        m, c, m_left = (left, right, True) if isinstance(left, Mask) else (right, left, False)
        cc = const_cell(c)
        if cc is None:
            if isinstance(c, Tensor):
                if c.scores and t is cst.Add:
                    manual_add(interp, m, lnode if m_left else rnode, node, frame)
                return Tensor(ref=c.ref, scores=c.scores, source=c.source)
            return UNKNOWN
        promoted = Dt.FLOAT if isinstance(c.value, float) else m.dtype  # int/bool op float -> float
        if t is cst.Subtract and not m_left and cc is Cell.ONE and m.dtype is not Dt.BOOL:
            swap = {Cell.ONE: Cell.ZERO, Cell.ZERO: Cell.ONE}
            if m.inside in swap and m.outside in swap:
                return m.step(node, mod, "1 - mask", inside=swap[m.inside], outside=swap[m.outside],
                              dtype=promoted)
            return UNKNOWN
        if t is cst.Multiply:
            if cc is Cell.ONE:
                if promoted is m.dtype:
                    return m
                return m.step(node, mod, "* 1.0", dtype=Dt.FLOAT, inside=num_cell(m.inside),
                              outside=num_cell(m.outside))
            if cc is Cell.NEG:
                inf = math.isinf(c.value)

                def scale(cell):
                    if cell in (Cell.ZERO, Cell.FALSE):
                        return Cell.OTHER if inf else Cell.ZERO  # 0 * -inf = nan
                    if cell in (Cell.ONE, Cell.TRUE):
                        return Cell.NEG
                    return Cell.OTHER

                negs = m.neg_consts + (((c, rnode if m_left else lnode),) if not inf else ())
                value_event(interp, "fill", node, c, rnode if m_left else lnode)
                return m.step(node, mod, f"* {code(interp, rnode if m_left else lnode)}", dtype=Dt.FLOAT,
                              inside=scale(m.inside), outside=scale(m.outside), neg_consts=negs)
            return UNKNOWN
        return UNKNOWN
    if t in (cst.BitAnd, cst.BitOr) and (isinstance(left, (Tensor, Mask)) or isinstance(right, (Tensor, Mask))):
        return _bool_unknown(interp, node)  # a logical combination of tensors: a bool mask
    if isinstance(left, Tensor):
        if t in (cst.Add, cst.Subtract, cst.Multiply, cst.Divide):
            if left.scores and isinstance(right, Mask) and t is cst.Add:
                manual_add(interp, right, rnode, node, frame)
            return Tensor(ref=left.ref, embedded=left.embedded, scores=left.scores, source=left.source)
    if isinstance(right, Tensor) and t in (cst.Add, cst.Multiply):
        return Tensor(ref=right.ref, embedded=right.embedded, scores=right.scores, source=right.source)
    return UNKNOWN


_KEEPISH = (Region.LOWER, Region.REAL, Region.SUB, Region.NEAR, Region.KEEP_MIX)
_BLOCKISH = (Region.SUPER, Region.PAD, Region.UPPER, Region.FAR, Region.BLOCK_MIX)


def _mask_mask(interp, t, a: Mask, b: Mask, node, rnode) -> AV:
    mod = interp.frame.module
    if t in (cst.BitAnd, cst.BitOr) and a.dtype is Dt.BOOL and b.dtype is Dt.BOOL:
        sa, sb = a.true_set(), b.true_set()
        if t is cst.BitAnd and Region.UNKNOWN in (sa, sb):
            known = sb if sa is Region.UNKNOWN else sa
            if known in _BLOCKISH and (sa is Region.UNKNOWN) != (sb is Region.UNKNOWN):
                # True only inside a block-type set (the future, padding): as a keep mask it
                # attends only there, whatever the other operand is
                return _combo(b if sa is Region.UNKNOWN else a, a if sa is Region.UNKNOWN else b, node, mod, "&",
                              "block")
            return UNKNOWN
        if Region.UNKNOWN in (sa, sb):
            return UNKNOWN
        if t is cst.BitAnd:
            neutral, absorb = Region.ALL, Region.NONE
        else:
            neutral, absorb = Region.NONE, Region.ALL
        if sa is neutral:
            return b
        if sb is neutral or sa is sb:
            return a
        if absorb in (sa, sb):
            return mk(interp, Dt.BOOL, Region.ALL, bool_cell(absorb is Region.ALL), bool_cell(absorb is Region.ALL),
                      node, "&" if t is cst.BitAnd else "|")
        # intersection of keep sets keeps polarity (a keep mask); union of block sets likewise
        if t is cst.BitAnd and sa in _KEEPISH and sb in _KEEPISH:
            return _combo(a, b, node, mod, "&", "keep")
        if t is cst.BitAnd and ((sa in _KEEPISH and sb in _BLOCKISH) or (sa in _BLOCKISH and sb in _KEEPISH)):
            # True only inside a block-type set (future / padding): a keep mask that keeps the wrong cells
            return _combo(a, b, node, mod, "&", "block")
        if t is cst.BitOr and sa in _BLOCKISH and sb in _BLOCKISH:
            return _combo(a, b, node, mod, "|", "block")
        return UNKNOWN
    if t is cst.Add and a.dtype is Dt.FLOAT and b.dtype is Dt.FLOAT and a.is_additive() and b.is_additive():
        na, nb = a.neg_set(), b.neg_set()
        if a.neg_consts and b.neg_consts and any(c.finfo_min for c, _ in a.neg_consts + b.neg_consts):
            value_event(interp, "sum", node, a.neg_consts[0][0], node)
        if na is Region.NONE:
            return b
        if nb is Region.NONE or na is nb:
            return a
        if na in _BLOCKISH and nb in _BLOCKISH:
            return _combo(a, b, node, mod, "+", "block", additive=True)
        return UNKNOWN
    if t is cst.Multiply and a.is_binary_float() and b.is_binary_float():
        return UNKNOWN
    return UNKNOWN


def _combo(a: Mask, b: Mask, node, mod, sym, kind, additive=False) -> Mask:
    """Causal and padding masks combined: the region is mixed, the polarity is known."""
    region = Region.KEEP_MIX if kind == "keep" else Region.BLOCK_MIX
    if a.region in (Region.PAD, Region.REAL):
        a, b = b, a
    # keep the causal member's structure when there is one (its rank, sizes); mark it mixed
    inside = Cell.NEG if additive else Cell.TRUE
    outside = Cell.ZERO if additive else Cell.FALSE
    rank = max(a.rank or 0, b.rank or 0) or None
    dim0 = a.dim0 if (a.rank or 0) >= (b.rank or 0) else b.dim0
    if rank == 3 and "N" in (a.dim0, b.dim0) and (a.rank == 3 or b.rank == 3):
        dim0 = "N"
    return a.step(node, mod, f"combined with {sym}", region=region, inside=inside, outside=outside,
                  dtype=Dt.FLOAT if additive else Dt.BOOL, rank=rank, dim0=dim0,
                  neg_consts=a.neg_consts + b.neg_consts, causal_source=a.is_causal_shaped() or b.is_causal_shaped(),
                  ref=a.ref or b.ref)


# ----------------------------------------------------------------------------- subscripts
def subscript(interp, node: cst.Subscript, frame) -> AV:
    base = interp.eval(node.value, frame)
    elems = node.slice
    idx_vals = []
    for el in elems:
        s = el.slice
        if isinstance(s, cst.Index):
            idx_vals.append(("index", interp.eval(s.value, frame), s.value))
        else:
            for part in (s.lower, s.upper, s.step):
                if part is not None:
                    interp.eval(part, frame)
            idx_vals.append(("slice", s, None))
    if isinstance(base, ShapeV) and len(idx_vals) == 1 and idx_vals[0][0] == "index":
        d = _int(idx_vals[0][1])
        if base.ref is not None and d is not None and d >= 0:
            return Size(SizeRef(base.ref, d), node)
        return UNKNOWN
    if isinstance(base, TupleV) and len(idx_vals) == 1 and idx_vals[0][0] == "index":
        d = _int(idx_vals[0][1])
        if d is not None and -len(base.items) <= d < len(base.items):
            return base.items[d]
        return UNKNOWN
    if isinstance(base, ModuleListV):
        return base.item
    if isinstance(base, DictV) and len(idx_vals) == 1 and idx_vals[0][0] == "index":
        key = idx_vals[0][1]
        if isinstance(key, Const) and key.value in base.items:
            return base.items[key.value]
        return UNKNOWN
    if len(idx_vals) == 1 and idx_vals[0][0] == "index":
        key = idx_vals[0][1]
        if isinstance(key, Const) and key.value in C.HF_ATTENTION_MASK_NAMES and not isinstance(base, Mask):
            m = hf_mask(interp, node, f"`{code(interp, node)}` (tokenizer output: int, 1 = real token)")
            if re.search(r"kwargs|kw$|inputs_dict|model_inputs", code(interp, node.value)):
                m = replace(m, assumed=True)  # inside model code: often already extended
            return m
    if isinstance(base, Mask):
        nones = sum(1 for kind, v, _ in idx_vals if kind == "index" and isinstance(v, Const) and v.value is None)
        ints = sum(1 for kind, v, _ in idx_vals if kind == "index" and _int(v) is not None)
        others = [v for kind, v, _ in idx_vals if kind == "index" and not isinstance(v, Const)]
        if others:
            return UNKNOWN
        rank = base.rank + nones - ints if base.rank is not None else None
        first = idx_vals[0]
        dim0 = "1" if first[0] == "index" and isinstance(first[1], Const) and first[1].value is None else base.dim0
        if ints and first[0] == "index" and _int(first[1]) is not None:
            dim0 = None
        if nones:
            inner = ", ".join(code(interp, el.slice) if isinstance(el.slice, cst.Slice) else code(interp, el.slice.value)
                              for el in elems) if len(elems) <= 8 else "..."
            return base.step(node, interp.frame.module, f"[{inner}]", rank=rank, dim0=dim0)
        return replace(base, rank=rank, dim0=dim0)
    if isinstance(base, Tensor):
        if base.index_axis is not None:
            kinds = [(k, v) for k, v, _ in idx_vals]
            if len(kinds) == 2:
                (k0, v0), (k1, v1) = kinds
                if k0 == "slice" and k1 == "index" and isinstance(v1, Const) and v1.value is None:
                    return Tensor(index_axis="q")
                if k0 == "index" and isinstance(v0, Const) and v0.value is None and k1 == "slice":
                    return Tensor(index_axis="k")
            if len(kinds) == 1 and kinds[0][0] == "index" and isinstance(kinds[0][1], Const) and kinds[0][1].value is None:
                return Tensor(index_axis="k")
            return UNKNOWN
        if base.lengths:
            return base
        if all(kind == "slice" for kind, _, _ in idx_vals):
            return Tensor(ref=base.ref, embedded=base.embedded, scores=base.scores, source=base.source)
        return Tensor(source=base.origin, scores=base.scores)
    return UNKNOWN


# ----------------------------------------------------------------------------- modules
def construct(interp, api: C.Api, node, args, frame) -> Instance:
    bf = None
    if api.batch_first_ctor:
        v, _ = kwarg(args, "batch_first", api.batch_first_position)
        if v is None:
            # not given: the default (False), unless **kwargs / *args may carry it
            bf = None if any(star for _, _, _, star in args) else False
        elif isinstance(v, Const) and isinstance(v.value, bool):
            bf = v.value
    elif api.key in ("encoder", "decoder"):
        layer, _ = kwarg(args, "encoder_layer" if api.key == "encoder" else "decoder_layer", 0)
        if isinstance(layer, Instance):
            bf = layer.batch_first
    return Instance(api.key, bf, node)


def instance_method(interp, inst: Instance, name: str, node, args, frame) -> AV:
    if name == "forward":
        return interp.sink(C.BY_KEY[inst.api_key], inst, node, args, frame)
    if name == "generate_square_subsequent_mask":
        return _square_subsequent(interp, node, args)
    return UNKNOWN


def passthrough(args) -> AV:
    """An unknown layer applied to x: assume it keeps x's layout (norms, dropout, positional enc)."""
    pos = positional(args)
    if pos and isinstance(pos[0][0], Tensor):
        t = pos[0][0]
        return Tensor(ref=t.ref, embedded=t.embedded, source=t.source)
    return UNKNOWN


def sink_result(api: C.Api, event) -> AV:
    first = event.input(0)
    ref = first.value.ref if first is not None and isinstance(first.value, Tensor) else None
    out = Tensor(ref=ref)
    if api.key == "mha":
        return TupleV((out, UNKNOWN))
    if api.key in ("flex_mask_mod",):
        return UNKNOWN
    return out


def manual_add(interp, m: Mask, mask_node, node, frame) -> None:
    """``scores + mask``: the mask is added to the attention logits.  A bool mask adds 0/1."""
    if m.dtype is Dt.BOOL:
        m = m.step(node, interp.frame.module, "added to the scores as 0/1", dtype=Dt.FLOAT,
                   inside=num_cell(m.inside), outside=num_cell(m.outside))
    interp.sink(C.MANUAL_ADD, None, node, [(m, mask_node, None, False)], frame)


# ----------------------------------------------------------------------------- value events
class ValueEvent:
    def __init__(self, kind, node, const, const_node, module):
        self.kind = kind  # "fill" (a constant written into a mask/scores) or "sum" (masks added)
        self.node = node
        self.const = const
        self.const_node = const_node
        self.module = module


_DTYPE_TEST = re.compile(r"float16|\bhalf\b|fp16|dtype|is_autocast|bfloat16")


def dtype_guarded(frame) -> bool:
    """Is the current statement inside a branch (if / conditional expression) that picks values
    per dtype?  ``frame.guards`` holds the tests of the enclosing branches."""
    return any(_DTYPE_TEST.search(frame.module.code_of(t)) for t in frame.guards)


def value_event(interp, kind, node, const, const_node) -> None:
    if not isinstance(const, Const):
        return
    if kind == "fill" and const.is_neg_large() and dtype_guarded(interp.frame):
        return  # the code picks the constant per dtype
    if kind == "fill" and isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        recv = code(interp, node.func.value)
        if recv.endswith((".float()", ".double()", "torch.float32)")):
            return  # explicitly upcast before filling
    ev = ValueEvent(kind, node, const, const_node, interp.frame.module)
    for rule in interp.rules:
        for f in rule.on_value(ev) or ():
            interp.frame.findings.append(f)
