from masklint._libcst import cst

from masklint import conventions as C
from masklint.analysis import names
from masklint.analysis.sinks import layout_owner
from masklint.analysis.values import Tensor
from masklint.rules._common import (corroborated, describe, explain, finding, param_phrase, value_finding,
                                     wrong_slot)
from masklint.rules.base import Rule


#: what a mask's leading dimension (``Mask.dim0``) may be where a shape of the table has ``first``
_LEADING = {"N*H": ("NH",), "L": ("L", "1", "S"), 1: ("1",), "H": ("H",)}

#: how to turn a mask of the wrong layout into one the API reads, by how it reads 3-D masks
_ADVICE = {
    C.Heads3D.STACKED: "use `mask.repeat_interleave(num_heads, dim=0)`",
    C.Heads3D.BROADCAST: "it broadcasts from the right, so dim 0 meets the heads, not the samples: reshape it "
                         "to (N, 1, L, S)",
}


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _mask_shape(m) -> str:
    lead = {"NH": "N*H", "1": "1", "N": "N", "H": "H", "L": "L"}.get(m.dim0)
    if lead is None:
        return f"a {m.rank}-D"
    rest = ("S",) if m.rank == 2 else ("L", "S") if m.rank == 3 else ("...", "L", "S")
    return f"a {m.rank}-D {_shape_text((lead,) + rest)}"


def shape_problem(param: C.MaskParam, m) -> str:
    """Why the table's accepted shapes for ``param`` do not admit ``m`` ("" when they do, or
    when the mask's rank or layout is unknown)."""
    if m.rank is None or not param.shapes:
        return ""
    same_rank = [s for s in param.shapes if len(s) == m.rank]
    if not same_rank:
        return "rank"
    if m.dim0 is None:
        return ""
    for shape in same_rank:
        allowed = _LEADING.get(shape[0])
        if allowed is None or m.dim0 in allowed:
            return ""
        if shape[0] == "L" and not m.is_padding_shaped():
            return ""  # (N, S) only on evidence that this is a per-sample padding mask
    return "layout"


def _reshaped(m) -> bool:
    """Did the code change the mask's rank after the name's guess?"""
    return any(names.RESHAPING.search(e.text) for e in m.evidence[1:])


def _single_head(event) -> bool:
    """Is the attention module built with one head (``nn.MultiheadAttention(d, 1)``, ``num_heads=1``)?"""
    node = event.instance.node if event.instance is not None else None
    if not isinstance(node, cst.Call):
        return False
    heads = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "num_heads"), None)
    positional = [a.value for a in node.args if a.keyword is None and not a.star]
    if heads is None and len(positional) >= 2:
        heads = positional[1]
    return isinstance(heads, cst.Integer) and heads.value == "1"


class MaskRank(Rule):
    code = "ML301"
    confirmed_by = "check"
    name = "mask-rank"
    summary = "a mask of a rank or layout the API rejects or misreads"

    def on_sink(self, event):
        api = event.api
        for param, arg in event.masks():
            m = arg.value
            if m.assumed and (len(m.evidence) <= 1 or (_reshaped(m) and not corroborated(m, param))):
                # the rank of a mask guessed from its name is a guess too: code that reshapes it knows
                # better, unless it reshapes it the way an (N, S) mask is extended
                continue
            if wrong_slot(event, param, m):
                continue
            problem = shape_problem(param, m)
            if not problem or (problem == "layout" and m.assumed and api.stacks_heads):
                continue  # an attention_mask parameter into MHA: often already (N*H, L, S)
            if problem == "layout" and api.stacks_heads and _single_head(event):
                continue  # nn.MultiheadAttention(d, 1): (N * 1, L, S) is the per-sample mask itself
            takes = " or ".join(_shape_text(s) for s in param.shapes)
            advice = _ADVICE.get(api.heads_3d) if problem == "layout" else None
            if advice and m.is_padding_shaped() and m.rank == 2 and api.heads_3d is C.Heads3D.BROADCAST:
                advice = "a padding mask goes in as mask[:, None, None, :]"
            yield finding(self.code, event, arg.node,
                          f"{describe(event, arg)} is {_mask_shape(m)} mask, a shape {param_phrase(api, param)} "
                          f"{'rejects' if problem == 'rank' else 'misreads'}",
                          m, help=advice or f"give it one of the shapes it takes: {takes}",
                          note=f"{param.name} takes {takes}" if advice else "")


    def on_value(self, ev):
        if ev.kind != "rank_mismatch" or ev.mask is None:
            return
        yield value_finding(self.code, ev, ev.const_node,
                            f"{explain(ev.mask, ev.const_node, ev.module)} is a 3-D (N, L, S) mask against 4-D "
                            "(N, H, L, S) scores",
                            help="add the head axis: `mask[:, None]` (or `mask.unsqueeze(1)`)",
                            note="broadcasting aligns from the right, so the mask's batch axis meets the heads: it "
                                 "raises unless N == H or N == 1, and masks the wrong samples when N == H")


class HeadRepeatOrder(Rule):
    code = "ML302"
    name = "head-repeat-order"
    summary = "mask.repeat(num_heads, 1, 1) where repeat_interleave(num_heads, dim=0) is needed"

    def on_sink(self, event):
        if event.api.stack is C.Stack.MANUAL:
            yield from self._manual(event)
            return
        if not event.api.stacks_heads:
            return
        for param, arg in event.masks():
            m = arg.value
            if param.role is not C.Role.KEY_PADDING and m.head_order == "tile":
                yield finding(
                    self.code, event, arg.node,
                    f"{describe(event, arg)} stacks heads as [h*N + b]; {event.api.display} reads [b*num_heads + h]",
                    m,
                    help="use `mask.repeat_interleave(num_heads, dim=0)`",
                    note="samples get each other's masks",
                    fix=_interleave_fix(event, m),
                )


    def _manual(self, event):
        """Hand-written attention whose scores fold the heads into the batch one way
        (``q.view(B, L, H, d).transpose(1, 2).reshape(B * H, L, d)``: b * H + h) and whose mask
        is stacked per head the other (``mask.repeat(H, 1, 1)``: h * B + b), or the reverse."""
        scores = event.scores
        if not isinstance(scores, Tensor) or scores.heads not in _STACKING:
            return
        for _, arg in event.masks():
            m = arg.value
            if m.head_order not in _STACKING or m.head_order == scores.heads:
                continue
            yield finding(
                self.code, event, arg.node,
                f"{describe(event, arg)} stacks heads as {_STACKING[m.head_order]}; the scores are stacked "
                f"{_STACKING[scores.heads]}",
                m,
                help="use `mask.repeat_interleave(num_heads, dim=0)`" if m.head_order == "tile" else
                     "use `mask.repeat(num_heads, 1, 1)`",
                note="samples get each other's masks",
                fix=_interleave_fix(event, m) if m.head_order == "tile" else None,
            )


#: how a stack of (b, h) slices is ordered along the batch axis
_STACKING = {"tile": "[h*N + b]", "interleave": "[b*num_heads + h]"}


def _interleave_fix(event, m):
    """``x.repeat(h, 1, 1)`` -> ``x.repeat_interleave(h, dim=0)``, when that call is in this file."""
    node = m.head_node
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value != "repeat" or len(node.args) != 3:
        return None
    if not any(e.node is node and e.module is event.module for e in m.evidence):
        return None
    code = event.module.tree.code_for_node
    new = f"{code(node.func.value)}.repeat_interleave({code(node.args[0].value)}, dim=0)"
    return ("Use repeat_interleave(num_heads, dim=0)", ((node, new),))


def _input_for(event, param):
    """The input this mask is laid out against: the keys of its side for a key padding mask, the
    queries for an attention mask (``Api.sides`` of the table)."""
    side = event.api.side(param.side) or (event.api.sides[0] if event.api.sides else None)
    if side is None:
        return event.input(0)
    _, queries, keys = side
    return event.arg(keys if param.role is C.Role.KEY_PADDING else queries) or event.input(0)


def _input_ref(event, param):
    """The layout reference of the sequence this mask applies to, when it is known."""
    inp = _input_for(event, param)
    if inp is None or not isinstance(inp.value, Tensor):
        return None
    return inp.value.ref


def _root_is_ns(batch_first, ref):
    return bool(batch_first) != bool(ref.swapped)


class MaskSizedFromBatch(Rule):
    code = "ML303"
    also_confirmed_by = ("ML301",)
    confirmed_by = "check"
    name = "mask-sized-from-batch"
    summary = "a causal mask sized from the batch dimension instead of the sequence dimension"

    def on_sink(self, event):
        bf = event.batch_first
        if bf is None or event.api.layout not in (C.Layout.BATCH_FIRST_CTOR, C.Layout.SEQ_FIRST):
            return
        for param, arg in event.masks():
            m = arg.value
            if not m.is_causal_shaped() or not m.sized or param.role is C.Role.KEY_PADDING:
                continue
            q = _input_ref(event, param)
            if q is None:
                continue
            for s in m.sized:
                if s.ref.root != q.root:
                    continue
                batch_dim = 0 if _root_is_ns(bf, q) else 1
                if s.root_dim() == batch_dim:
                    seq_dim = 1 - batch_dim
                    yield finding(
                        self.code, event, arg.node,
                        f"causal mask {describe(event, arg)} is sized from the batch dimension of `{s.ref.root}`",
                        m,
                        help=f"size it by the sequence length: size({seq_dim if not s.ref.swapped else 1 - seq_dim})",
                        note=f"dimension {s.dim} is the batch with batch_first={bf} on {event.api.display}; "
                             "a causal mask is (L, L)",
                    )
                    break


class PaddingMaskLayout(Rule):
    code = "ML304"
    also_confirmed_by = ("ML301",)
    confirmed_by = "check"
    name = "padding-mask-layout"
    summary = "a key padding mask laid out (S, N) for an API that wants (N, S)"

    def on_sink(self, event):
        yield from self._on_query_axis(event)
        yield from self._tokens_first(event)
        bf = event.batch_first
        if bf is None or event.api.layout not in (C.Layout.BATCH_FIRST_CTOR, C.Layout.SEQ_FIRST):
            return
        for param, arg in event.masks():
            m = arg.value
            if param.role is not C.Role.KEY_PADDING or m.ref is None or m.is_causal_shaped():
                continue
            r = _input_ref(event, param)
            if r is None:
                continue
            if not r.names(m.ref.root):
                continue
            kpm_ns = _root_is_ns(bf, r) != bool(m.ref.swapped)
            if not kpm_ns:
                yield finding(
                    self.code, event, arg.node,
                    f"padding mask {describe(event, arg)} is (S, N) like `{m.ref.root}`; {event.api.display} wants "
                    "(N, S)",
                    m,
                    help="transpose it: `.transpose(0, 1)`",
                    note=f"with batch_first={bf}, {event.api.display} gets `{m.ref.root}` "
                         f"{'transposed' if r.swapped else 'as is'}",
                )

    def _tokens_first(self, event):
        """A padding mask written ``mask[n:, i] = True`` per sample: tokens on dim 0, (S, N)."""
        for param, arg in event.masks():
            m = arg.value
            if param.role is not C.Role.KEY_PADDING or m.dim0 != "S" or m.rank != 2 or m.assumed:
                continue
            if not any(s[0] == "N" for s in param.shapes if len(s) == 2):
                continue
            yield finding(
                self.code, event, arg.node,
                f"padding mask {describe(event, arg)} is built (S, N); {event.api.display} wants (N, S)",
                m,
                help="build it (N, S), or transpose it: `.transpose(0, 1)`",
                note="each sample's padding is written down a column: the mask hides tokens of the wrong "
                     "samples, or the shapes clash",
            )

    def _on_query_axis(self, event):
        """A padding mask laid along the queries, ``(N, 1, S, 1)``, where attention masks are read
        ``(..., L, S)``: it hides whole rows of padded queries and no keys."""
        for param, arg in event.masks():
            m = arg.value
            if param.role is not C.Role.ATTN or m.token_axis() != -2 or (m.rank or 0) < 3:
                continue
            yield finding(
                self.code, event, arg.node,
                f"padding mask {describe(event, arg)} lies along the queries, not the keys",
                m,
                help="put the tokens on the last axis: `mask[:, None, None, :]` or `.unsqueeze(1).unsqueeze(2)`",
                note="attention masks are read (..., queries, keys): real queries still attend to padded keys",
            )


class SequenceFirstPooledAsBatchFirst(Rule):
    code = "ML305"
    confirmed_by = ""
    name = "sequence-first-output-read-batch-first"
    summary = "a sequence-first attention module (no batch_first=True) whose output is read as (N, S, E)"

    def on_sink(self, event):
        """Embeddings plus positions along dimension 1 of the ids, (N, S, E), into such a module."""
        inst = event.instance
        if inst is None or inst.batch_first is not False or inst.layout is None or \
                not (event.api.batch_first_ctor or event.api.batch_first_from):
            return
        from masklint.analysis.events import Finding

        for i in range(len(event.api.inputs)):
            a = event.input(i)
            if a is None or not isinstance(a.value, Tensor) or a.value.positions is None:
                continue
            module, ctor = inst.layout
            yield Finding(
                self.code, ctor, module,
                f"{layout_owner(event.api)} lacks batch_first=True (it reads (S, N, E)) but is fed batch-first "
                f"embeddings: `{event.module.code_of(a.node)}`",
                help="pass batch_first=True, or transpose the input to (S, N, E)",
                note="attention then runs across the samples of the batch, not along each sequence",
                steps=((event.module, a.value.positions, "positions along dimension 1 of the ids: (N, S) ids"),
                       (event.module, event.node, f"{event.api.display} called with them")),
            )
            return

    def on_value(self, ev):
        """``h.mean(dim=1)`` of a module built without ``batch_first=True`` (not ``h[:, 0]``: in
        sequence-first code that is how one sample is read)."""
        if ev.kind != "batch_axis_pooled" or ev.const_node is None:
            return
        from masklint.analysis.events import Finding

        module, ctor = ev.const_node
        shown = ev.module.code_of(ev.node)
        yield Finding(
            self.code, ctor, module,
            f"{ev.const.value} lacks batch_first=True (it reads (S, N, E)) but its output is read "
            f"batch-first: `{shown}`",
            help="pass batch_first=True (and give it (N, S, E) inputs), or read the output as (S, N, E)",
            note="fed batch-first inputs, attention runs across the samples of the batch, not along "
                 "each sequence; or else dimension 1 is the batch and this mixes the samples",
            steps=((ev.module, ev.node, f"`{shown}` reads dimension 1 as the sequence"),),
        )
