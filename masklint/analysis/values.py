"""Abstract values for the mask-flow analysis.

A mask is described by a *region* of the (query i, key j) grid plus the cell value inside and
outside that region.  ``torch.tril(torch.ones(L, L, dtype=torch.bool))`` is
``Mask(dtype=BOOL, region=LOWER, inside=TRUE, outside=FALSE)``; the PyTorch tutorial's float
causal mask is ``Mask(dtype=FLOAT, region=SUPER, inside=NEG, outside=ZERO)``.  Every transfer
function (``~``, ``.bool()``, ``masked_fill``, ``transpose`` ...) maps this description to a new
one and appends a step to the evidence chain, so a finding can say how the mask was built.

Unknown is a legitimate answer: anything the analysis cannot describe becomes ``UNKNOWN`` and
no rule fires on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, List, Optional, Tuple


class Region(Enum):
    ALL = "everywhere"
    NONE = "nowhere"
    LOWER = "on and below the diagonal (j <= i)"  # tril(diagonal=0): the causal "may attend" set
    SUPER = "above the diagonal (j > i)"  # triu(diagonal=1): the future
    UPPER = "on and above the diagonal (j >= i)"  # triu(diagonal=0)
    SUB = "below the diagonal (j < i)"  # tril(diagonal=-1)
    NEAR = "within a local window (|i - j| <= w)"
    FAR = "outside a local window (|i - j| > w)"
    KEEP_MIX = "at the positions a combined (causal / padding) mask allows"
    BLOCK_MIX = "at the positions a combined (causal / padding) mask hides"
    PAD = "at padding positions"
    REAL = "at real (non-padding) tokens"
    SAME = "within the same group (ids[:, None] == ids[None, :])"  # block-diagonal, the diagonal included
    OTHER = "across groups (ids[:, None] != ids[None, :])"
    UNKNOWN = "at unknown positions"


COMPLEMENT = {
    Region.ALL: Region.NONE,
    Region.NONE: Region.ALL,
    Region.LOWER: Region.SUPER,
    Region.SUPER: Region.LOWER,
    Region.UPPER: Region.SUB,
    Region.SUB: Region.UPPER,
    Region.PAD: Region.REAL,
    Region.REAL: Region.PAD,
    Region.NEAR: Region.FAR,
    Region.FAR: Region.NEAR,
    Region.KEEP_MIX: Region.BLOCK_MIX,
    Region.BLOCK_MIX: Region.KEEP_MIX,
    Region.SAME: Region.OTHER,
    Region.OTHER: Region.SAME,
    Region.UNKNOWN: Region.UNKNOWN,
}

TRANSPOSE = {
    Region.LOWER: Region.UPPER,
    Region.UPPER: Region.LOWER,
    Region.SUPER: Region.SUB,
    Region.SUB: Region.SUPER,
}

CAUSAL_REGIONS = (Region.LOWER, Region.SUPER, Region.UPPER, Region.SUB)
PADDING_REGIONS = (Region.PAD, Region.REAL)


def tril_region(diagonal: int) -> Region:
    return {0: Region.LOWER, -1: Region.SUB}.get(diagonal, Region.UNKNOWN)


def triu_region(diagonal: int) -> Region:
    return {0: Region.UPPER, 1: Region.SUPER}.get(diagonal, Region.UNKNOWN)


class Cell(Enum):
    TRUE = "True"
    FALSE = "False"
    ZERO = "0"
    ONE = "1"
    NEG = "-inf"  # -inf or a large negative: an additive "blocked"
    OTHER = "?"


class Dt(Enum):
    BOOL = "bool"
    FLOAT = "float"
    INT = "int"
    UNKNOWN = "?"


def cell_truth(c: Cell) -> Optional[bool]:
    """What ``.bool()`` makes of a cell."""
    if c in (Cell.TRUE, Cell.ONE, Cell.NEG):
        return True
    if c in (Cell.FALSE, Cell.ZERO):
        return False
    return None


def bool_cell(b: Optional[bool]) -> Cell:
    return Cell.OTHER if b is None else (Cell.TRUE if b else Cell.FALSE)


def num_cell(c: Cell) -> Cell:
    """What ``.float()`` / ``.long()`` makes of a cell."""
    if c is Cell.TRUE:
        return Cell.ONE
    if c is Cell.FALSE:
        return Cell.ZERO
    return c


@dataclass(frozen=True)
class Evidence:
    node: Any  # a libcst node
    module: Any  # the ModuleInfo the node belongs to
    text: str


@dataclass(frozen=True)
class TensorRef:
    """Which input tensor a value derives from, and whether its first two dims were swapped."""

    root: str
    swapped: bool = False
    # other inputs laid out the same way (`band_emb(band) + prefix_emb(prefix)`: band and prefix)
    peers: Tuple[str, ...] = field(default=(), compare=False)

    def flip(self) -> "TensorRef":
        return TensorRef(self.root, not self.swapped, self.peers)

    def names(self, root: str) -> bool:
        """Is ``root`` this input, or one laid out like it?"""
        return root == self.root or root in self.peers


@dataclass(frozen=True)
class SizeRef:
    """An int taken from ``tensor.size(dim)`` (dim counted on the root's layout)."""

    ref: TensorRef
    dim: int

    def root_dim(self) -> int:
        if self.dim in (0, 1) and self.ref.swapped:
            return 1 - self.dim
        return self.dim


class AV:
    """Base class of abstract values."""

    def describe(self) -> str:
        return "value"


@dataclass(frozen=True)
class Unknown(AV):
    pass


UNKNOWN = Unknown()


@dataclass(frozen=True)
class LengthDiff(Unknown):
    """``kv_len - q_len`` (+ ``plus``): an unknown number that only a tril/triu diagonal reads, as
    the offset that aligns a causal mask bottom-right (0 where the lengths are equal)."""

    plus: int = 0


class NoneFlag(AV):
    """``mask is None`` (or ``mask is None and q_len > 1``): a flag that is True only on the paths
    where ``subject`` is None, as in ``is_causal = attention_mask is None``."""

    def __init__(self, subject: AV, node):
        self.subject = subject
        self.node = node  # the ``is None`` test


@dataclass(frozen=True)
class Const(AV):
    value: Any  # int, float, bool, None, str; float('-inf') for -inf
    finfo_min: bool = False  # torch.finfo(...).min
    adaptive: bool = False  # torch.finfo(x.dtype).min: follows the tensor's dtype
    origin: Any = field(default=None, compare=False, hash=False)  # (module, node) of the literal
    none_of: Any = field(default=None, compare=False, hash=False)  # `mask is None` known False: the mask

    def is_neg_large(self) -> bool:
        v = self.value
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v <= -1e4


@dataclass(frozen=True)
class DType(AV):
    dt: Dt
    name: str


@dataclass(frozen=True)
class Qual(AV):
    """A resolved qualified name (module, class or function of a library)."""

    name: str


@dataclass(frozen=True)
class Ref(Qual):
    """An imported name not looked up yet: a function or class of the project, or a library's
    name.  ``Interpreter.force`` looks it up where a definition is needed (a call, an attribute,
    a flex mask function); elsewhere (a registry of classes, an ``isinstance`` test, a name
    stored and compared) it stays a name, and the module defining it is never parsed."""


@dataclass(frozen=True)
class Size(AV):
    ref: SizeRef
    node: Any = None


@dataclass(frozen=True)
class Tensor(AV):
    """A tensor that is not a mask: a model input, activations, attention scores."""

    ref: Optional[TensorRef] = None
    embedded: Any = False  # produced by an nn.Embedding from token ids: True, "padded" (it has a padding_idx), "left" (ids padded on the left)
    padded_ids: Any = False  # token ids of a padded batch (torch.full((B, L), pad_id) filled per row): True, "left"
    one_sample: bool = False  # what a padding function made of one sample (`batchify([s])`): no padding
    scores: bool = False  # q @ k^T style attention scores
    probs: bool = False  # softmax of attention scores (attention probabilities)
    along: Optional[SizeRef] = None  # an index vector arange(x.size(d)): the positions of x's dim d
    fp32: bool = False  # explicitly upcast (scores.float()): large negative fills fit
    index_axis: Optional[str] = None  # arange as a query ("q") or key ("k") index, or "1d"
    shift: Any = 0  # an index vector plus this constant (arange(n) + 1), or "+w"/"-w" (plus/minus a window)
    lengths: bool = False  # per-sample sequence lengths
    cached: bool = False  # keys/values grown by a KV cache: longer than the queries of this step
    source: Optional[str] = None  # the input it was computed from, when the layout is lost
    zeroed: Any = None  # scores: (mask, node) of a 0/1 mask multiplied in, before any softmax
    bare: bool = False  # scores with nothing applied since q @ k^T but a scale, a cast or a view
    rank: Optional[int] = None  # scores from an einsum whose output spec is known ("b h i j": 4)
    blocks: bool = False  # an index vector floor-divided (arange(n) // frame): positions by block
    seq_first: Any = None  # the output of a sequence-first attention module: ((module, constructor), its name)
    positions: Any = None  # embeddings plus positions along dim 1 of the ids (batch-first): the node adding them
    padding_of: Any = None  # an encoder's output whose padding a mask hid: (module, node) of that mask argument
    # a constant tensor written with a label per region (a counter round a loop): data (True); labels
    # subtracted pair by pair, (rank, dim0) of the pairs (`lab.unsqueeze(1) - lab.unsqueeze(2)`)
    labels: Any = False
    # queries, keys or scores with the heads folded into the batch axis: "interleave" (b * H + h:
    # `view(B, L, H, d).transpose(1, 2).reshape(B * H, L, d)`) or "tile" (h * B + b:
    # `torch.cat(x.split(d, dim=-1), dim=0)`); a mask stacked per head must be stacked alike
    heads: Optional[str] = None

    @property
    def origin(self) -> Optional[str]:
        """The input this tensor was computed from (projections, views and splits included)."""
        return self.ref.root if self.ref is not None else self.source


@dataclass(frozen=True)
class Mask(AV):
    dtype: Dt
    region: Region
    inside: Cell
    outside: Cell
    evidence: Tuple[Evidence, ...] = ()
    rank: Optional[int] = None
    dim0: Optional[str] = None  # "N" (per-sample), "1", "NH" (heads stacked), "L", "S"
    ref: Optional[TensorRef] = None  # the token tensor a padding mask was computed from
    sized: Tuple[SizeRef, ...] = ()  # sizes the mask was built from
    head_order: Optional[str] = None  # "tile" (repeat) or "interleave" (repeat_interleave)
    head_node: Any = None
    neg_consts: Tuple[Tuple[Any, Any], ...] = ()  # (Const, node) of finite negatives used
    causal_source: bool = False  # from generate_square_subsequent_mask or another causal builder
    assumed: bool = False  # guessed from a parameter name: rules need corroboration
    key_axis: Optional[int] = None  # a padding mask: its token axis, counted from the end (-1 = keys)
    maybe_none: bool = False  # None on another path that reaches here (`mask = None; if pad is not None: ...`)
    ahead: int = 0  # a causal triangle shifted k keys into the future: tril(diagonal=k > 0), triu(diagonal=k + 1)
    left: bool = False  # a padding mask of a batch padded on the left (each sample's real tokens at its end)

    # --- derived facts --------------------------------------------------------------
    def true_set(self) -> Region:
        """The region where the mask is True / nonzero."""
        tin, tout = cell_truth(self.inside), cell_truth(self.outside)
        if tin is None or tout is None:
            return Region.UNKNOWN
        if tin and tout:
            return Region.ALL
        if not tin and not tout:
            return Region.NONE
        return self.region if tin else COMPLEMENT[self.region]

    def neg_set(self) -> Region:
        """The region holding -inf / large negatives (additive blocked set)."""
        nin, nout = self.inside is Cell.NEG, self.outside is Cell.NEG
        if Cell.OTHER in (self.inside, self.outside):
            return Region.UNKNOWN
        if nin and nout:
            return Region.ALL
        if not nin and not nout:
            return Region.NONE
        return self.region if nin else COMPLEMENT[self.region]

    def is_binary_float(self) -> bool:
        cells = {self.inside, self.outside}
        return self.dtype is Dt.FLOAT and cells <= {Cell.ZERO, Cell.ONE} and Cell.ONE in cells

    def is_additive(self) -> bool:
        return self.dtype is Dt.FLOAT and Cell.NEG in (self.inside, self.outside) and Cell.OTHER not in (
            self.inside,
            self.outside,
        ) and Cell.ONE not in (self.inside, self.outside)

    def is_causal_shaped(self) -> bool:
        return self.region in CAUSAL_REGIONS or self.causal_source

    def is_padding_shaped(self) -> bool:
        return self.region in PADDING_REGIONS

    def token_axis(self) -> Optional[int]:
        """Where a padding mask's token axis sits, counted from the end: -1 where the keys are
        read (``(N, 1, 1, S)``), -2 on the queries (``(N, 1, S, 1)``); None when not known.  An
        (N, S) padding mask has it last."""
        if self.key_axis is not None:
            return self.key_axis or None  # 0: moved by a reshape or transpose, no longer known
        if self.region in PADDING_REGIONS and self.rank == 2 and self.dim0 == "N":
            return -1
        return None

    def axis_after(self, kept: List[Optional[int]]) -> Optional[int]:
        """The token axis after an indexing or reshaping that maps the new dimensions, in order, to
        old ones (``kept[i]`` = the old dimension, from the start, or None for a new one)."""
        ta, rank = self.token_axis(), self.rank
        if ta is None or rank is None or -ta > rank:
            return None
        old = rank + ta
        return (kept.index(old) - len(kept)) if old in kept else None

    def step(self, node, module, text: str, **changes) -> "Mask":
        ev = self.evidence + (Evidence(node, module, text),)
        return replace(self, evidence=ev, **changes)




#: which facts of a mask each kind of finding is about
_FACT_OF = {"ML301": "shape", "ML302": "shape", "ML303": "shape", "ML304": "shape",
            "ML101": "polarity", "ML102": "polarity", "ML103": "polarity",
            "ML201": "values", "ML202": "values", "ML203": "values", "ML205": "constant"}


def carries_fact(code: str, earlier: Mask, final: Mask) -> bool:
    """Does ``earlier`` (a mask the final one was computed from) already have the fact that
    finding ``code`` is about?  An (N, S) mask later made 4-D does not carry a rank finding; a
    keep mask later inverted does not carry a polarity finding."""
    kind = _FACT_OF.get(code)
    if kind == "shape":
        return (earlier.rank, earlier.dim0, earlier.token_axis()) == (final.rank, final.dim0, final.token_axis())
    if kind == "polarity":
        return (earlier.true_set(), earlier.neg_set()) == (final.true_set(), final.neg_set())
    if kind == "values":
        return (earlier.dtype, earlier.inside, earlier.outside) == (final.dtype, final.inside, final.outside)
    if kind == "constant":  # the large negative was already written into it
        return {id(node) for _, node in final.neg_consts} <= {id(node) for _, node in earlier.neg_consts}
    return True

class ShapeV(AV):
    """``x.shape`` / ``x.size()``: indexing it gives sizes of ``x``."""

    def __init__(self, ref: Optional[TensorRef]):
        self.ref = ref


@dataclass(eq=False)
class PartialV(AV):
    """``functools.partial(nn.MultiheadAttention, batch_first=True)``: an API constructor with
    arguments bound ahead."""

    target: AV
    args: tuple  # (value, node, keyword, star) like evaluated call arguments


@dataclass(eq=False)
class DictV(AV):
    """A dict literal / nn.ModuleDict with string keys; ``ANY_KEY`` holds what was stored under
    keys that are not known (a cache: ``self._masks[size] = mask``).  ``registry``: filled by
    decorators (``@register_attention("sdpa")``), a table of implementations one of which runs."""

    items: dict
    registry: bool = False


ANY_KEY = object()


@dataclass(frozen=True)
class ChoiceV(AV):
    """One of several callables, which one not known: a table of attention implementations read
    with a key known only at run time (``ATTENTION_FUNCTIONS[config.attn_implementation]``).  A
    call runs each of them."""

    options: tuple


def items_of(v: AV) -> Tuple[AV, ...]:
    """The values a dict or a tuple holds (one level); none for anything else."""
    if isinstance(v, DictV):
        return tuple(v.items.values())
    return v.items if isinstance(v, TupleV) else ()


def embedded_ids(ids: AV, ref=None, padding_idx: bool = False) -> "Tensor":
    """What an embedding lookup of token ids gives (an ``nn.Embedding`` call, ``F.embedding``,
    ``table[ids]``): embeddings padded where the ids are (``"left"``: before the real tokens, in
    batched generation), or where a ``padding_idx`` says the ids hold padding."""
    if isinstance(ids, Tensor) and ids.padded_ids == "left":
        return Tensor(ref=ref, embedded="left")
    padded = (padding_idx and not (isinstance(ids, Tensor) and ids.one_sample)) or (
        isinstance(ids, Tensor) and bool(ids.padded_ids))
    return Tensor(ref=ref, embedded="padded" if padded else True)


def located(v: AV, module, node) -> AV:
    """A constant that remembers where it is written (ML205 points there); other values as they are."""
    return replace(v, origin=(module, node)) if isinstance(v, Const) else v


def scores_source(q: AV, k: AV) -> Optional[str]:
    """The one input both operands of ``q @ k^T`` were projected from (self-attention), if any."""
    oq = q.origin if isinstance(q, Tensor) else None
    ok = k.origin if isinstance(k, Tensor) else None
    return oq if oq is not None and oq == ok else None


@dataclass(eq=False)
class SuperV(AV):
    """``super()`` inside a method of a user class."""

    obj: AV
    cls: Any


@dataclass(frozen=True)
class SplitV(AV):
    """``x.split(...)`` / ``x.chunk(...)``: any number of tensors computed from ``x``."""

    source: Optional[str]
    embedded: Any = False  # split from embeddings (Tensor.embedded)


@dataclass(frozen=True)
class TupleV(AV):
    items: Tuple[AV, ...]
    modules: bool = False  # `nn.ModuleList([Attention(d), FeedForward(d)])`: layers by position, unpacked in loops


@dataclass(frozen=True)
class TriIndexV(AV):
    """Row (``part`` 0) or column (1) indices of ``torch.triu_indices`` / ``tril_indices``:
    ``mask`` is True at the positions they list."""

    mask: Mask
    part: int


@dataclass(frozen=True)
class Instance(AV):
    """An instance of an attention API module (nn.MultiheadAttention(...), ...)."""

    api: Any  # conventions.Api
    batch_first: Optional[bool] = None  # None: unknown
    node: Any = None
    layout: Any = None  # (module, node) where its layout is decided: its constructor, or its layer's


@dataclass(frozen=True)
class ModuleListV(AV):
    item: AV


@dataclass(frozen=True)
class LoaderV(AV):
    """A DataLoader with a collate function of the project: each batch is what it returns."""

    batch: AV


@dataclass(frozen=True)
class EmbeddingV(AV):
    """An nn.Embedding instance: calling it turns token ids into embeddings.  ``padded``: built
    with a ``padding_idx``, so the ids it embeds hold padding."""

    padded: bool = False
    size: str = ""  # the text of its num_embeddings (`n_events`): a head of that size predicts its ids
    pad_id: Optional[int] = None  # its padding_idx, when the code writes a number


@dataclass(frozen=True)
class LinearV(AV):
    """An nn.Linear instance, or a layer that keeps its input's layout as Linear does (a norm,
    dropout, an activation); ``vocab`` when its out_features looks like a vocabulary size.
    ``recurrent``: an nn.GRU / LSTM / RNN, which returns (output, state), the output laid out
    as its input."""

    vocab: bool = False
    recurrent: bool = False
    out: str = ""  # the text of its out_features


@dataclass(eq=False)
class FuncV(AV):
    """A user function (possibly a bound method)."""

    fn: Any  # FunctionInfo
    bound: Any = None  # ObjV of self


class LambdaV(AV):
    """A lambda expression and the frame (scope) that defined it."""

    def __init__(self, node, frame):
        self.node = node
        self.frame = frame


@dataclass(eq=False)
class ClassV(AV):
    cls: Any  # ClassInfo


@dataclass(eq=False)
class ObjV(AV):
    """An instance of a user class: attributes come from its ``__init__``."""

    cls: Any  # ClassInfo
    attrs: dict = field(default_factory=dict)


MAX_CHOICES = 8  # a table of more implementations than this is a plugin registry, not a choice of kernels
_CALLABLE = (FuncV, LambdaV, PartialV, Qual)


def choice(values, classes: bool = False) -> AV:
    """What a table read with a key not known gives: its one value, or, when every entry is a
    function (or, with ``classes``, a class of a registry of attention implementations), one of
    them (:class:`ChoiceV`); unknown otherwise.  A dict literal of classes (Hugging Face's
    ``ATTENTION_CLASSES``) is not a choice: which class runs goes with how the caller built its
    mask, a correlation the analysis does not follow."""
    options: list = []
    for v in values:
        if not isinstance(v, _CALLABLE + (ClassV,) if classes else _CALLABLE):
            return UNKNOWN
        if not any(v == o or isinstance(v, ClassV) and isinstance(o, ClassV) and v.cls is o.cls for o in options):
            options.append(v)
    if len(options) == 1:
        return options[0]
    return ChoiceV(tuple(options)) if 1 < len(options) <= MAX_CHOICES else UNKNOWN


def join(a: AV, b: AV) -> AV:
    """Merge two branches.  A known value wins over unknown/None ("may" semantics): a mask
    that is wrong on one branch is wrong whenever that branch runs."""
    if a is b or a == b:
        return a
    if any(isinstance(x, Const) and isinstance(x.value, bool) for x in (a, b)) and any(
            isinstance(x, (Unknown, Tensor)) for x in (a, b)):
        return UNKNOWN  # a flag set on one path only (`is_causal = False` under an if): not known after
    if isinstance(a, Unknown) or (isinstance(a, Const) and a.value is None):
        return b
    if isinstance(b, Unknown) or (isinstance(b, Const) and b.value is None):
        return a
    # token ids padded by hand in a loop (`ids[i, :len(x)] = ...` into zeros): the ids, not the zeros
    for x, y in ((a, b), (b, a)):
        if isinstance(x, Tensor) and x.padded_ids and isinstance(y, Mask) and y.region is Region.ALL and \
                y.dtype is Dt.INT:
            return x
    # labels written round a loop (which may not run): labels
    for x, y in ((a, b), (b, a)):
        if isinstance(x, Tensor) and x.labels and isinstance(y, Mask) and y.region is Region.ALL:
            return x
    # a parameter we know nothing about, on one branch, against a mask built on the other
    if isinstance(a, Tensor) and isinstance(b, Mask) and not (a.scores or a.embedded):
        return b
    if isinstance(b, Tensor) and isinstance(a, Mask) and not (b.scores or b.embedded):
        return a
    if isinstance(a, Mask) and isinstance(b, Mask):
        if (a.dtype, a.true_set(), a.neg_set()) == (b.dtype, b.true_set(), b.neg_set()):
            return a
        for x, y in ((a, b), (b, a)):
            if x.evidence and x.evidence[0].text.startswith("torch.empty") and Cell.OTHER in (x.inside, x.outside) \
                    and len(x.evidence) == 1:
                return y  # an empty placeholder (`register_buffer("cache", torch.empty(0, 0))`) filled on one path
        mixed = _causal_on_both(a, b)
        if mixed is not None:
            return mixed
        if a.assumed != b.assumed:
            # a guess from a parameter's name, against a mask the code built: the built one, unless it
            # is a constant default (`if attention_mask is None: attention_mask = torch.ones_like(ids)`)
            guess, built = (a, b) if a.assumed else (b, a)
            return guess if built.region in (Region.ALL, Region.NONE) else built
        if a.dtype is b.dtype and a.dtype in (Dt.INT, Dt.BOOL) and not (a.assumed or b.assumed) and \
                a.evidence[:1] == b.evidence[:1]:
            # one mask written on one path only (`if n_drop: hidden.scatter_(1, idx, 1)`): which cells
            # hold what is not known after, its dtype is
            return replace(a, region=Region.UNKNOWN, inside=Cell.OTHER, outside=Cell.OTHER, causal_source=False,
                           left=False)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return a if a.ref == b.ref else Tensor()
    if isinstance(a, DictV) and isinstance(b, DictV):
        # a cache filled on one path (`if size not in cache: cache[size] = ...`): what either stored
        keys = list(a.items) + [k for k in b.items if k not in a.items]
        return DictV({k: join(a.items[k], b.items[k]) if k in a.items and k in b.items else
                      a.items.get(k, b.items.get(k)) for k in keys}, registry=a.registry or b.registry)
    if isinstance(a, ModuleListV) and isinstance(b, ModuleListV):
        return ModuleListV(join(a.item, b.item))  # a ModuleList filled on one path (a loop)
    if isinstance(a, Instance) and isinstance(b, Instance) and a.api is b.api:
        # two layers of one API built apart (`[first] + [Layer(...) for _ in range(n - 1)]`)
        return a if a.batch_first == b.batch_first else Instance(a.api, None, a.node)
    if isinstance(a, TupleV) and isinstance(b, TupleV) and a.modules and b.modules and len(a.items) == len(b.items):
        return TupleV(tuple(join(x, y) for x, y in zip(a.items, b.items)), modules=True)  # one block per depth
    if isinstance(a, TupleV) and isinstance(b, TupleV):
        short, long_ = sorted((a, b), key=lambda t: len(t.items))
        if long_.items[: len(short.items)] == short.items:
            return long_  # a list appended to on one path
    if isinstance(a, EmbeddingV) and isinstance(b, EmbeddingV):
        # one table per field of a token (`nn.ModuleList([nn.Embedding(8, d), nn.Embedding(201, d)])`)
        return EmbeddingV(a.padded or b.padded, a.size if a.size == b.size else "")
    if all(isinstance(x, (ObjV, Instance, ChoiceV)) for x in (a, b)):
        # `Attention(...) if (i + 1) % k == 0 else SSM(...)`: either module may run (a hybrid stack)
        options = [o for x in (a, b) for o in (x.options if isinstance(x, ChoiceV) else (x,))]
        unique = []
        for o in options:
            if not any(o is u for u in unique):
                unique.append(o)
        return ChoiceV(tuple(unique[:4]))
    return UNKNOWN


_MIXES = (Region.KEEP_MIX, Region.BLOCK_MIX)


def _causal_on_both(a: Mask, b: Mask) -> Optional[Mask]:
    """A causal mask on one path and the same causal mask combined with padding on the other
    (``mask = causal; if pad is not None: mask = mask.masked_fill(pad, min)``): causal on both,
    padding on one, read as the combined mask."""
    if a.dtype is not b.dtype or a.assumed or b.assumed or not (a.is_causal_shaped() and b.is_causal_shaped()):
        return None
    mix, plain = (a, b) if a.region in _MIXES else (b, a)
    if mix.region not in _MIXES or plain.region in _MIXES:
        return None
    keepish = plain.true_set() in (Region.LOWER, Region.SUB) and bool({plain.inside, plain.outside} & {Cell.TRUE, Cell.ONE})
    blockish = plain.neg_set() in (Region.SUPER, Region.UPPER) or plain.true_set() in (Region.SUPER, Region.UPPER)
    if (mix.region is Region.KEEP_MIX and not keepish) or (mix.region is Region.BLOCK_MIX and not blockish):
        return None
    return replace(mix, causal_source=True, maybe_none=a.maybe_none or b.maybe_none)


def element_of(it: AV) -> AV:
    """One element of a container value (a loop variable, an unpacked item)."""
    if isinstance(it, ModuleListV):
        return it.item
    if isinstance(it, LoaderV):
        return it.batch
    if isinstance(it, SplitV):
        return Tensor(source=it.source, embedded=it.embedded)
    if isinstance(it, TupleV) and it.items:
        v = it.items[0]
        for x in it.items[1:]:
            v = join(v, x)
        return v
    return UNKNOWN
