"""What rules share: how a parameter reads a mask (from the conventions table) and which
positions end up blocked."""
from __future__ import annotations

from typing import Optional

from masklint import conventions as C
from masklint.analysis.events import Finding, explain
from masklint.analysis.values import COMPLEMENT, Dt, Mask, Region  # noqa: F401

from masklint._libcst import cst

from masklint.analysis import names, sources


def encoding(param: C.MaskParam, m: Mask) -> Optional[str]:
    """How the API reads this mask: 'bool', 'int', 'keep01' (Keras floats), 'additive',
    'binary' (0/1 floats added to scores), or None (unknown)."""
    if m.dtype is Dt.BOOL:
        return "bool"
    if m.dtype is Dt.INT:
        return "int"
    if m.dtype is Dt.FLOAT:
        if not param.float_is_additive:
            return "keep01"
        if m.is_additive():
            return "additive"
        if m.is_binary_float():
            return "binary"
    return None


def blocked_set(param: C.MaskParam, m: Mask) -> Region:
    """The positions the API will hide, as a region of the (query, key) grid."""
    enc = encoding(param, m)
    if enc in ("bool", "int", "keep01"):
        ts = m.true_set()
        if ts is Region.UNKNOWN:
            return ts
        keep = param.polarity is C.Polarity.KEEP or enc == "keep01"
        return COMPLEMENT[ts] if keep else ts
    if enc == "additive":
        return m.neg_set()
    return Region.UNKNOWN


def corroborated(m: Mask, param: C.MaskParam) -> bool:
    """Values guessed from a parameter name (``attention_mask``) count only where the code
    treats them as a raw (N, S) tokenizer mask: as a key padding mask.  Inside model code a
    parameter of that name is often an extended additive or Longformer-style mask."""
    if not m.assumed:
        return True
    if param.role is C.Role.KEY_PADDING or names.trusted_guess(m):
        return True
    # `attention_mask[:, None, None, :]` is how a raw (N, S) tokenizer mask is extended
    return any(names.KEY_EXPAND.search(e.text) for e in m.evidence) or bool(
        names.KEY_UNSQUEEZE.search("".join(e.text for e in m.evidence)))


def value_finding(code: str, ev, node, message: str, help: str, note: str) -> Finding:
    """A finding about the mask of a value event (``ev.mask``), anchored at ``node``."""
    return Finding(code, node, ev.module, message, help=help, note=note, value=ev.mask)


def wrong_slot(event, param: C.MaskParam, m: Mask) -> Optional[str]:
    """The kind of mask ``m`` is when it is not the kind the slot takes (ML501), else None.  A
    padding mask made from a name's guess counts where the name is the tokenizer's own (the
    ``attention_mask`` beside token ids)."""
    api = event.api
    if param.role is C.Role.KEY_PADDING and m.region in (Region.LOWER, Region.SUPER, Region.UPPER, Region.SUB):
        if m.rank in (None, 2):
            return "a causal (L, S) mask"
    if (
        param.role in (C.Role.ATTN, C.Role.MEMORY)
        and api.stacks_heads
        and m.region in (Region.PAD, Region.REAL)
        and (not m.assumed or sources.beside_token_ids(event.interp.stack, m))
        and m.rank == 2
        and m.dim0 == "N"
        and not m.causal_source
    ):
        return "an (N, S) padding mask"
    return None


def api_name(api: C.Api) -> str:
    return api.display


def param_phrase(api: C.Api, param: C.MaskParam) -> str:
    if api.manual or api.stack is C.Stack.MASK_BUILDER:
        return api.display
    return f"{param.name} of {api.display}"


def reads(param: C.MaskParam, api: C.Api) -> str:
    if api.reads:
        return api.reads
    if param.polarity is C.Polarity.BLOCK:
        return "(True = blocked)"
    return "(True = attend)"


def finding(code: str, event, node, message: str, value=None, fix=None, help: str = "", note: str = "",
            picture: str = "", steps=()) -> Finding:
    return Finding(code, node, event.module, message, value, fix=fix, help=help, note=note, picture=picture,
                   steps=steps)


#: where a region is, in the few words a short message has room for
SHORT = {
    Region.ALL: "everywhere", Region.NONE: "nowhere", Region.LOWER: "at j <= i", Region.SUPER: "at j > i",
    Region.UPPER: "at j >= i", Region.SUB: "at j < i", Region.NEAR: "inside its window",
    Region.FAR: "outside its window", Region.KEEP_MIX: "where it allows", Region.BLOCK_MIX: "where it hides",
    Region.PAD: "at padding", Region.REAL: "at real tokens", Region.SAME: "within each group",
    Region.OTHER: "across groups", Region.UNKNOWN: "at unknown positions",
}

_SIDE = 5  # cells a side in a picture
_PADDED = 2  # padded keys in a picture of a padding mask (the last ones)


def _region_cells(region: Region):
    """The (query, key) cells of a ``_SIDE`` x ``_SIDE`` grid that ``region`` covers, or None."""
    n = range(_SIDE)
    pad = set(range(_SIDE - _PADDED, _SIDE))
    tests = {
        Region.ALL: lambda i, j: True, Region.NONE: lambda i, j: False,
        Region.LOWER: lambda i, j: j <= i, Region.SUPER: lambda i, j: j > i,
        Region.UPPER: lambda i, j: j >= i, Region.SUB: lambda i, j: j < i,
        Region.NEAR: lambda i, j: abs(i - j) <= 1, Region.FAR: lambda i, j: abs(i - j) > 1,
        Region.PAD: lambda i, j: j in pad, Region.REAL: lambda i, j: j not in pad,
        Region.KEEP_MIX: lambda i, j: j <= i and j not in pad, Region.BLOCK_MIX: lambda i, j: j > i or j in pad,
        Region.SAME: lambda i, j: i // 2 == j // 2, Region.OTHER: lambda i, j: i // 2 != j // 2,
    }
    test = tests.get(region)
    return None if test is None else {(i, j) for i in n for j in n if test(i, j)}


def picture(event, param: C.MaskParam, m: Mask) -> str:
    """The mask as the API will read it, drawn on a small grid (rows = queries, columns = keys):
    ``.`` attended, ``#`` blocked; "" when the analysis does not know its structure."""
    blocked = _region_cells(blocked_set(param, m))
    if blocked is None:
        return ""
    padding = m.true_set() in (Region.PAD, Region.REAL, Region.KEEP_MIX, Region.BLOCK_MIX)
    title = f"{param.name} as {event.api.display} reads it"
    if padding:
        title += f" (a sample whose last {_PADDED} tokens are padding)"
    rows = [title + f": the first {_SIDE} positions, rows = queries, columns = keys, . attended, # blocked",
            "     " + "".join(map(str, range(_SIDE)))]
    for i in range(_SIDE):
        rows.append(f"   {i} " + "".join("#" if (i, j) in blocked else "." for j in range(_SIDE)))
    return "\n".join(rows)


_ATOMIC = {"Name", "Attribute", "Call", "Subscript"}  # LibCST classes that need no parentheses under `~`


def invert_fix(event, arg):
    """Unsafe fix for a bool mask of inverted polarity: ``mask`` -> ``~mask``.  None for a mask
    that is a function (a flex ``mask_mod``: ``~`` of a function raises) or an int mask."""
    if event.api.stack is C.Stack.MASK_BUILDER or arg.value.dtype is not Dt.BOOL:
        return None  # ~ on an int mask is a bitwise not: no mechanical fix
    text = event.module.tree.code_for_node(arg.node)
    if isinstance(arg.node, cst.UnaryOperation) and isinstance(arg.node.operator, cst.BitInvert):
        inner = event.module.tree.code_for_node(arg.node.expression)
        return ("Remove the inversion", ((arg.node, inner),))
    new = f"~{text}" if type(arg.node).__name__ in _ATOMIC else f"~({text})"
    return ("Invert the mask", ((arg.node, new),))


def describe(event, arg) -> str:
    return explain(arg.value, arg.node, event.module)
