"""Where masks come from when the code does not build them: parameters (by their documented
Hugging Face names), tokenizer outputs, and the library mask builders of the conventions table
(``conventions.MASK_SOURCES``)."""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional

from masklint._libcst import cst

from masklint import conventions as C
from masklint.analysis import names
from masklint.analysis.algebra import dtype_of
from masklint.analysis.ctx import Arg, Ctx, kwarg
from masklint.analysis.values import (
    AV,
    UNKNOWN,
    Cell,
    Dt,
    Evidence,
    Mask,
    Region,
    Size,
    Tensor,
    TensorRef,
)


def hf_named_mask(name: str, node, module, what: str) -> Mask:
    """A tensor named like a Hugging Face attention mask: assumed int, 1 = real token, (N, S)."""
    return Mask(Dt.INT, Region.REAL, Cell.ONE, Cell.ZERO,
                evidence=(Evidence(node, module, f"{what} `{name}` (Hugging Face convention: int, 1 = real token)"),),
                rank=2, dim0="N", ref=TensorRef(name), assumed=True)


def beside_param(stack, m: Mask, pattern) -> bool:
    """Is ``m`` a mask guessed from a parameter's name, of a function that takes a parameter
    named as ``pattern`` says beside it?  ``stack``: the interpreter's frames, the one owning the
    parameter among them."""
    if not m.assumed or not m.evidence or not isinstance(m.evidence[0].node, cst.Param):
        return False
    param = m.evidence[0].node
    for fr in stack:
        if fr.fn is not None and any(p is param for p in fr.fn.params()):
            return any(pattern.match(p.name.value) for p in fr.fn.params())
    return False


def beside_token_ids(stack, m: Mask) -> bool:
    """A guessed mask of a model entry point that takes token ids beside it
    (``forward(self, input_ids, attention_mask)``): there the name is the tokenizer's mask."""
    return beside_param(stack, m, names.TOKEN_IDS_PARAM)


def named_mask(name: str, node, module, what: str) -> Optional[Mask]:
    """A bool mask guessed from its name alone: ``padding_mask`` (True = padding), ``agent_valid``
    / ``observed_mask`` (True = real, for dataclass fields: a parameter so named is often a float
    or int mask the code converts); None for any other name."""
    region = Region.PAD if names.PADDING_MASK_PARAM.search(name) else \
        Region.REAL if names.VALID_MASK_NAME.search(name) else None
    if region is None:
        return None
    if region is Region.PAD and _keras_module(module):
        return None  # Keras code names its keep masks (1 = a real token) `padding_mask` too
    said = "True = padding" if region is Region.PAD else "True = a real element"
    return Mask(Dt.BOOL, region, Cell.TRUE, Cell.FALSE,
                evidence=(Evidence(node, module, f"{what} `{name}` (by its name: bool, {said})"),),
                rank=2, dim0="N", ref=TensorRef(name), assumed=True)


def _keras_module(module) -> bool:
    """Keras code: it imports Keras and defines Keras layers or models (not a torch module that
    borrows `pad_sequences` from it)."""
    return any(v.split(".")[0] in ("keras", "tensorflow", "tf_keras") for v in module.imports.values()) and \
        bool(names.KERAS_CODE.search(module.source))


def field_source(name: str, node, module) -> Optional[AV]:
    """What a dataclass field with no default holds, by its name: a mask it names, else None."""
    if name in C.HF_ATTENTION_MASK_NAMES:
        return hf_named_mask(name, node, module, "field")
    return named_mask(name, node, module, "field")


def documented_mask(name: str, param, fn) -> Optional[Mask]:
    """A mask parameter whose docstring (the function's, else its class's) says what True means:
    ``mask: (batch, time), True where the time step holds real signal``.  Read once per function."""
    if name not in fn.documented:
        fn.documented[name] = _read_docs(name, param, fn)
    return fn.documented[name]


def _read_docs(name: str, param, fn) -> Optional[Mask]:
    for node in (fn.node, fn.cls.node if fn.cls is not None else None):
        doc = node.get_docstring() if node is not None else None
        if not doc:
            continue
        lines = doc.splitlines()
        for i, line in enumerate(lines):
            if not names.mentions(name, line):
                continue
            if not names.is_mask_param(name) and not (names.doc_entry_of(name, line) and (
                    names.DOC_SHAPE.search(line) or "mask" in line.lower())):
                continue  # another name: only its own entry, with a shape or the word mask, says it is one
            # the entry of this parameter: its line from where it is named (`ids: (B, N) int; mask:
            # (B, N) bool, ...` documents two on one line) and the lines after it, up to the next entry
            entry = [line[names.word_at(name, line):]]
            for nxt in lines[i + 1:i + 4]:
                if not nxt.strip() or names.DOC_ENTRY.match(nxt):
                    break
                entry.append(nxt)
            text = " ".join(entry)
            for m in names.DOC_POLARITY.finditer(text):
                clause = m.group(2)
                keep = bool(names.DOC_KEEP.search(clause))
                padding = bool(names.DOC_PADDING.search(clause + name))
                if not padding and not (names.DOC_FLOAT.search(text) and names.DOC_ATTENTION.search(text)):
                    # only padding masks, and float attention masks documented 1.0 = keep / drop
                    # (a 0/1 float that must not be added to scores), are read from their docs
                    continue
                if keep or names.DOC_BLOCK.search(clause):
                    region = (Region.REAL if keep else Region.PAD) if padding else \
                        (Region.KEEP_MIX if keep else Region.BLOCK_MIX)
                    said = f"parameter `{name}`{names.DOCUMENTED}{m.group(0).strip()[:50]}"
                    per_sample = bool(names.DOC_PER_SAMPLE.search(text))
                    dt = Dt.FLOAT if names.DOC_FLOAT.search(text) else Dt.INT if names.DOC_INT.search(text) else Dt.BOOL
                    inside, outside = (Cell.TRUE, Cell.FALSE) if dt is Dt.BOOL else (Cell.ONE, Cell.ZERO)
                    if dt is Dt.FLOAT:
                        said += " (float)"
                    return Mask(dt, region, inside, outside, evidence=(Evidence(param, fn.module, said),),
                                rank=2 if per_sample else None, dim0="N" if per_sample else None,
                                ref=TensorRef(name), assumed=True)
    return None


def documents_polarity(name: str, fn) -> bool:
    """Does ``fn``'s docstring say what 1 / True means for its parameter ``name`` (``mask: 1 =
    keep, 0 = block``)?  Then converting the parameter is the function's contract, and a caller
    passing the other kind is the one at fault."""
    doc = fn.node.get_docstring() if fn.node is not None else None
    for line in (doc or "").splitlines():
        if names.mentions(name, line):
            for m in names.DOC_POLARITY.finditer(line):
                if names.DOC_KEEP.search(m.group(2)) or names.DOC_BLOCK.search(m.group(2)):
                    return True
    return False


def param_source(name: str, param, fn) -> AV:
    """What a parameter holds when we do not know the caller."""
    if name not in C.HF_ATTENTION_MASK_NAMES and name not in ("self", "cls") and (
            names.is_mask_param(name) or getattr(param, "default", None) is None):
        # a mask's name, or any parameter with no default whose docstring entry says what its
        # values mean (`keep: [B, H, L, S] float, 1.0 = keep this pair`)
        documented = documented_mask(name, param, fn)
        if documented is not None:
            return documented
    if name in C.HF_ATTENTION_MASK_NAMES:
        return hf_named_mask(name, param, fn.module, "parameter")
    default = getattr(param, "default", None)
    if isinstance(default, (cst.Integer, cst.Float, cst.SimpleString)) or (
            isinstance(default, cst.UnaryOperation) and isinstance(default.expression, (cst.Integer, cst.Float))):
        return UNKNOWN  # `pad=0`, `padding=1`: a number, whatever the name says
    if names.PADDING_MASK_PARAM.search(name):
        return named_mask(name, param, fn.module, "parameter")
    if names.ADJACENCY_NAME.match(name):
        documented = documented_mask(name, param, fn)
        if documented is not None:
            return documented  # the docstring says what True means
        return adjacency_named(name, param, fn.module, "parameter")
    if name in ("self", "cls"):
        return UNKNOWN
    if names.LENISH.search(name):
        return Tensor(ref=TensorRef(name), lengths=True)
    if names.TOKEN_IDS_PARAM.match(name) and _paired_with_mask(fn):
        # `def encode(input_ids, attention_mask)`: ids handed in with their padding mask, a padded batch
        return Tensor(ref=TensorRef(name), padded_ids=True)
    return Tensor(ref=TensorRef(name))


def adjacency_named(name: str, node, module, what: str = "") -> Mask:
    """A graph's adjacency known by its name (``adj``, ``bonded``, ``connected``): True = an edge,
    the pairs that attend."""
    return Mask(Dt.BOOL, Region.KEEP_MIX, Cell.TRUE, Cell.FALSE,
                evidence=(Evidence(node, module, f"{what + ' ' if what else ''}`{name}` (by its name: {names.ADJACENCY})"),),
                ref=TensorRef(name), assumed=True)


def _paired_with_mask(fn) -> bool:
    """Does ``fn`` require a Hugging Face ``attention_mask`` and use what its caller passes (not
    one it ignores or sets to None before reading; an optional one says nothing of padding)?"""
    from masklint.analysis import usage

    return any(q.name.value in C.HF_ATTENTION_MASK_NAMES and q.default is None and q.name.value not in usage.unread(fn)
               and q.name.value not in usage.overwritten(fn) for q in fn.params() + fn.kwonly())


def unpacked_source(node, module) -> AV:
    """What a name unpacked from an unknown value (``src, tgt = batch``) holds: a guess from its
    name when it names token ids, lengths or a Hugging Face mask, else unknown."""
    name = node.value
    if name in C.HF_ATTENTION_MASK_NAMES:
        return hf_named_mask(name, node, module, "unpacked")
    if names.LENISH.search(name) or names.TOKENISH.search(name):
        return Tensor(ref=TensorRef(name), lengths=bool(names.LENISH.search(name)))
    return UNKNOWN


def tokenizer_mask(ctx: Ctx, text: str, base_text: str) -> Mask:
    """``batch["attention_mask"]``: int, 1 = real token, (N, S)."""
    # a module that sets its tokenizer's `padding_side = "left"` (batched generation) pads on the left
    left = bool(names.LEFT_PADDING_SIDE.search(ctx.module.source))
    m = ctx.mk(Dt.INT, Region.REAL, Cell.ONE, Cell.ZERO, text, rank=2, dim0="N", left=left)
    if names.MODEL_INPUTS.search(base_text):
        m = replace(m, assumed=True)  # inside model code: often already extended
    return m


_HIDES = {"future": Region.SUPER, "padding": Region.PAD, "future+padding": Region.BLOCK_MIX, "other": Region.UNKNOWN}


def library_mask(ctx: Ctx, src: C.MaskSource) -> Mask:
    """The value a documented library mask builder returns."""
    blocked = _HIDES[src.hides]
    causal = "future" in src.hides
    kw = dict(rank=src.rank, dim0=src.dim0, causal_source=causal)
    if src.encoding == "bool_keep":
        keep = {Region.SUPER: Region.LOWER, Region.PAD: Region.REAL, Region.BLOCK_MIX: Region.KEEP_MIX}.get(
            blocked, Region.UNKNOWN)
        return ctx.mk(Dt.BOOL, keep, Cell.TRUE, Cell.FALSE, f"{src.display} (True = attend)", **kw)
    if src.encoding == "additive":
        return ctx.mk(Dt.FLOAT, blocked, Cell.NEG, Cell.ZERO, f"{src.display} (additive, -inf where hidden)", **kw)
    # "configured": the library picks bool, additive or a block mask; only the structure is known
    return ctx.mk(Dt.UNKNOWN, blocked, Cell.OTHER, Cell.OTHER, f"{src.display} (built for the attention "
                  "implementation in use)", **kw)


def configured_helper(ctx: Ctx, qualname: str) -> Optional[Mask]:
    """A call of a function named in ``[tool.masklint] mask-helpers``: a mask of the configured
    polarity ("keep": True = attend; "block": True = hidden; "additive": 0 / -inf), its
    structure unknown beyond that (the positions it allows, or hides)."""
    settings = getattr(ctx.interp.project, "settings", None)  # the ProjectIndex
    helpers = getattr(settings, "mask_helpers", None) or {}
    polarity = helpers.get(qualname)
    if polarity is None:
        return None
    text = f"{qualname}() (mask-helpers: {polarity})"
    if polarity == "keep":
        return ctx.mk(Dt.BOOL, Region.KEEP_MIX, Cell.TRUE, Cell.FALSE, text)
    if polarity == "block":
        return ctx.mk(Dt.BOOL, Region.BLOCK_MIX, Cell.TRUE, Cell.FALSE, text)
    return ctx.mk(Dt.FLOAT, Region.BLOCK_MIX, Cell.NEG, Cell.ZERO, text)


def square_subsequent(ctx: Ctx, args: List[Arg]) -> AV:
    """``nn.Transformer.generate_square_subsequent_mask(sz)``: float, -inf above the diagonal."""
    sz, _ = kwarg(args, "sz", 0)
    dt = dtype_of(kwarg(args, "dtype")[0])
    sized = (sz.ref,) if isinstance(sz, Size) else ()
    if dt is Dt.BOOL:
        return ctx.mk(Dt.BOOL, Region.SUPER, Cell.TRUE, Cell.FALSE, "generate_square_subsequent_mask(dtype=torch.bool)",
                      rank=2, dim0="L", sized=sized, causal_source=True)
    return ctx.mk(Dt.FLOAT, Region.SUPER, Cell.NEG, Cell.ZERO,
                  "generate_square_subsequent_mask (float, -inf above the diagonal)", rank=2, dim0="L", sized=sized,
                  causal_source=True)
