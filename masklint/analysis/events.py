"""What the analysis hands to rules: sink events (calls into attention APIs), model facts
(per class, for causality rules) and the findings rules give back."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Tuple

from masklint._libcst import cst

from masklint import conventions as C
from masklint.analysis import names
from masklint.analysis.algebra import CAUSAL_LOST
from masklint.analysis.usage import overwritten, unread
from masklint.analysis.values import (
    AV,
    Cell,
    Const,
    Dt,
    Instance,
    Mask,
    Region,
    Tensor,
    TupleV,
    Unknown,
)


#: the evidence step naming the call a finding was carried from (the call that consumes the mask)
REACHES = "the mask reaches this call inside"


@dataclass
class Finding:
    """What a rule reports: a short ``message`` (what is wrong, naming the mask and the API),
    ``help`` (what to write instead), an optional ``note`` (what goes wrong at run time) and
    ``picture`` (the mask as the API reads it, when its structure is known).  The evidence is
    structured, never part of the message: the steps that built ``value``, then ``steps`` the
    rule adds, then ``via`` (the calls a finding was carried through to its call site)."""

    code: str
    node: Any  # anchor node (in ``module``)
    module: Any
    message: str
    value: Any = None  # the mask value the finding is about, when there is one
    via: Tuple[Tuple[Any, Any, str], ...] = ()  # (module, node, text)
    fix: Any = None  # (title, ((node, replacement), ...)), edits in ``module``; always unsafe
    help: str = ""
    note: str = ""
    picture: str = ""
    steps: Tuple[Tuple[Any, Any, str], ...] = ()  # (module, node, text): evidence beyond the value's
    carried: Any = None  # the mask at the anchor, when it is an earlier form of ``value``
    written: bool = False  # about a constant at ``node``: reported there when the caller is in the same file
    slot: str = ""  # the parameter a misplaced mask lands in (ML501)

    def moved(self, node, module, call, carried=None) -> "Finding":
        callee = module.code_of(call.func)
        line = module.line_of(node)
        hop = (self.module, self.node, f"the value written here reaches the mask through {callee}(), called at line "
               f"{line}" if self.written and not self.via else f"{REACHES} {callee}(), called at line {line}")
        return replace(self, node=node, module=module, via=(hop,) + self.via, fix=None,
                       carried=carried if carried is not None else self.carried)

    def at_anchor(self) -> Any:
        """The mask as it is where the finding is reported."""
        return self.carried if self.carried is not None else self.value

    def evidence(self) -> List[Tuple[Any, Any, str]]:
        """(module, node, text) steps, in order: how the mask was built, then the rule's own steps,
        then the calls that carried the finding here."""
        chain = [(e.module, e.node, e.text) for e in (self.value.evidence if isinstance(self.value, Mask) else ())]
        return chain + list(self.steps) + list(self.via)


@dataclass
class ValueEvent:
    """A constant written into a mask or into attention scores ("fill"), two masks filled with
    large negatives summed ("sum"), or ``1 - mask`` of an additive mask ("one_minus_additive")."""

    kind: str
    node: Any
    const: Any
    const_node: Any
    module: Any
    mask: Any = None  # the mask the event is about, where there is one
    half: Any = None  # (module, node) where the module, or a caller up the stack (a script in another file), runs float16


@dataclass
class FlagScenarioEvent:
    """A call passing a mask and a flag that is that mask's None-ness, and what its attention
    calls received with the mask given (``given``) and without it (``absent``)."""

    call: Any
    module: Any
    fn: Any  # the callee (FunctionInfo)
    flag: str  # the callee's parameter that gets the flag
    mask_param: str  # the callee's parameter that gets the mask
    mask: Any  # the mask as the caller holds it
    given: List["SinkRecord"]
    absent: List["SinkRecord"]


@dataclass
class Arg:
    value: AV
    node: Any
    keyword: Optional[str]
    index: Optional[int]


@dataclass
class SinkEvent:
    api: C.Api
    instance: Optional[Instance]
    node: cst.Call
    module: Any
    interp: Any
    args: Dict[str, Arg] = field(default_factory=dict)
    has_star: bool = False
    unbound: bool = False  # some positional argument could not be bound to a known parameter
    frame: Any = None  # the interpreter's frame of the calling code
    scores: Any = None  # hand-written attention: the scores the mask is applied to

    def unread_masks(self, fr=None, any_region: bool = False) -> List[Tuple[str, Mask, bool]]:
        """Masks the calling function (or the frame ``fr``) holds and never reads: (name, mask,
        is_parameter); a parameter overwritten before any read counts with the value it was
        passed.  Only masks the code built (``ids == pad``) or a caller passed in count, never
        one guessed from a parameter's name: an interface may take a mask it has no use for.
        ``any_region``: also masks whose positions are not known (a left-padded literal)."""
        fr = fr or self.frame
        if fr is None or fr.fn is None:
            return []
        params = {p.name.value for p in fr.fn.params() + fr.fn.kwonly()}
        held = [(name, fr.env.get(name)) for name in sorted(unread(fr.fn))]
        held += [(name, fr.incoming.get(name)) for name in sorted(overwritten(fr.fn))]
        out = []
        for name, v in held:
            if isinstance(v, Mask) and not v.assumed and v.region not in (Region.ALL, Region.NONE) and (
                    any_region or v.region is not Region.UNKNOWN):
                out.append((name, v, name in params))
            elif (any_region and name not in params and names.MASK_VARIABLE.search(name)
                  or name in fr.fn.prepared and names.is_mask_param(name)) \
                    and (isinstance(v, (Unknown, Tensor)) or (isinstance(v, Mask) and v.assumed)):
                # a local built under a mask's name (`input_ids, attention_mask = left_pad(prompts)`), or
                # a mask parameter the code converts and then drops
                out.append((name, Mask(Dt.UNKNOWN, Region.UNKNOWN, Cell.OTHER, Cell.OTHER), False))
        return out

    def dropping_callers(self):
        """The user functions, innermost first, that call down to this attention without the
        mask they were asked to carry: each frame from the call's upwards whose mask parameter
        (``attention_mask``, ``mask``...) holds None.  Yields (frame, caller frame)."""
        stack = self.interp.stack
        if not stack or stack[-1] is not self.frame:
            return
        # the innermost function's parameters passed as this call's mask (`attn_mask=keep`), whatever their names
        # (not at a causal call: a bias parameter left None there, `is_causal=bias is None`, drops nothing)
        mask_slots = {p.name for p in self.api.params if p.role in (C.Role.ATTN, C.Role.KEY_PADDING, C.Role.MEMORY)}
        slots = {a.node.value for name, a in self.args.items() if name in mask_slots and isinstance(a.node, cst.Name)} \
            if causal_status(self) != "yes" else set()
        for i in range(len(stack) - 1, 0, -1):
            fr = stack[i]
            if fr.fn is None or not fr.concrete:
                return
            dropped = [p.name.value for p in fr.fn.params() + fr.fn.kwonly()
                       if (names.is_mask_param(p.name.value) or (i == len(stack) - 1 and p.name.value in slots))
                       and isinstance(fr.incoming.get(p.name.value), Const) and fr.incoming[p.name.value].value is None]
            if not dropped:
                return
            yield fr, stack[i - 1]

    def held_back(self):
        """The masks a caller holds under the name of a parameter its callee gets None for, on the
        way down to this call (``h = layer(h)`` in a forward that holds ``attention_mask``, read
        only for the positions).  Yields (callee frame, caller frame, name, mask)."""
        for callee, caller in self.dropping_callers():
            for p in callee.fn.params() + callee.fn.kwonly():
                name = p.name.value
                passed = callee.incoming.get(name)
                held = caller.env.get(name, caller.incoming.get(name))
                if isinstance(passed, Const) and passed.value is None and names.is_mask_param(name) and \
                        not names.CROSS_MASK_NAME.search(name) and isinstance(held, Mask):
                    yield callee, caller, name, held

    @classmethod
    def bind(cls, api, inst, node, args, module, interp) -> "SinkEvent":
        ev = cls(api, inst, node, module, interp)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
                node.func.attr.value in module.kwargs_hooked():
            ev.has_star = True  # a hook may hand this call masks it does not show
        slots = api.positional_names()
        i = 0
        for value, anode, kw, star in args:
            if star:
                ev.has_star = True
                continue
            if kw is None:
                name = slots.get(i)
                if name is not None and not ev.has_star:
                    ev.args[name] = Arg(value, anode, None, i)
                elif name is None:
                    ev.unbound = True  # a positional argument the table has no slot for
                i += 1
            else:
                ev.args[kw] = Arg(value, anode, kw, None)
        return ev

    # --- queries for rules ----------------------------------------------------------
    def arg(self, name: str) -> Optional[Arg]:
        return self.args.get(name)

    def given(self, name: str) -> bool:
        a = self.args.get(name)
        return a is not None and not (isinstance(a.value, Const) and a.value.value is None)

    def maybe_given(self, name: str) -> bool:
        """Given, or passed as a local variable the function assigns something other than None (a
        mask built on one path, `None` on the other, whose value the analysis could not read)."""
        if self.given(name):
            return True
        a = self.args.get(name)
        if a is None or not isinstance(a.node, cst.Name) or self.frame is None or self.frame.fn is None:
            return False
        return names.assigned_not_none(a.node.value, self.module.text_of(self.frame.fn.node))

    def flag_true(self, name: str) -> bool:
        a = self.args.get(name)
        return a is not None and isinstance(a.value, Const) and a.value.value is True

    def masks(self):
        """(MaskParam, Arg) for every attention-mask parameter given a known mask value (head
        masks are not attention masks: only the head-mask rule reads them)."""
        for p in self.api.params:
            if p.role is C.Role.HEAD:
                continue
            a = self.args.get(p.name)
            if a is not None and isinstance(a.value, Mask):
                yield p, a

    @property
    def batch_first(self) -> Optional[bool]:
        if self.api.layout is C.Layout.SEQ_FIRST:
            return False
        if self.instance is None:
            return None
        return self.instance.batch_first

    def input(self, i: int) -> Optional[Arg]:
        if i < len(self.api.inputs):
            return self.args.get(self.api.inputs[i])
        return None

    def is_self_attention(self) -> bool:
        if self.api.self_attention == "always":
            return True
        if self.api.stack is C.Stack.MANUAL:  # hand-written: q @ k^T of projections of one input
            return isinstance(self.scores, Tensor) and self.scores.source is not None
        if self.api.self_attention != "if_same":
            return False
        q, k, v = (self.args.get(n) for n in self.api.inputs[:3])
        if q is None or k is None:
            return False
        code = self.module.code_of
        if code(q.node) == code(k.node) and (v is None or code(v.node) == code(q.node)):
            return True
        # q, k, v projected from one input (x -> qkv(x).split(...))
        origins = {a.value.origin if isinstance(a.value, Tensor) else None for a in (q, k, v) if a is not None}
        return len(origins) == 1 and None not in origins

    def where(self) -> str:
        return self.api.display

    def explain(self, value: AV, node) -> str:
        return explain(value, node, self.module)


MAX_NAME = 32  # characters of an expression quoted in a message


def explain(value: AV, node, module) -> str:
    """How a message names a mask: its expression, quoted, shortened to ``MAX_NAME`` characters
    (the evidence says where it came from)."""
    name = module.code_of(node) if node is not None else "the mask"
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 3] + "..."
    return f"`{name}`"


def true_meaning(value: Mask) -> str:
    ts = value.true_set()
    return f"True {ts.value}"


def _last_query(ev) -> bool:
    """Is the query the last position alone (``tgt[-1:]``, ``x[:, -1:]``, directly or through a
    name assigned so)?  A decode step with cached keys: it has no future to hide."""
    q = ev.input(0)
    if q is None or ev.frame is None:
        return False
    if names.LAST_POSITION.search(ev.module.code_of(q.node)):
        return True
    if isinstance(q.node, cst.Name):
        from masklint.analysis.writes import _assigned
        # every assignment of the name (`q = x[:, -1:]` under `if use_cache:` and `q = x` else is
        # not), but those computed from the name itself (`last = self.norm1(last + h)`)
        texts = [ev.module.code_of(v) for v in _assigned(ev.frame, q.node.value)]
        return any(names.LAST_POSITION.search(t) for t in texts) and all(
            names.LAST_POSITION.search(t) or names.mentions_word(q.node.value, t) for t in texts)
    return False


@dataclass
class SinkRecord:
    """A sink as seen from a model class (for ML401 / ML502)."""

    api: C.Api
    node: Any  # anchor (re-anchored when reached through a call)
    module: Any
    fn: Any
    self_attention: bool
    causal: str  # "yes", "no", "unknown"
    src_kpm: bool
    memory_kpm: str  # "yes", "no", "n/a"
    tgt_embedded: bool
    sink_node: Any = None
    sink_module: Any = None
    via: Tuple[str, ...] = ()
    masks: Tuple[Any, ...] = ()  # the masks its mask parameters received
    causal_guard: bool = False  # inside `if self.causal:` / `else:` (a configuration), or `if q_len == 1:` (a decode step)
    unread_padding: Optional[str] = None  # a padding mask its function built and never read (not the target's)
    in_eval: bool = False  # run on a path known to be in eval mode (`model.eval()`, then a call)

    @classmethod
    def from_event(cls, ev: SinkEvent, fn) -> "SinkRecord":
        api = ev.api
        causal = causal_status(ev)
        src_kpm = any(
            ev.given(p.name) for p in api.params if p.role is C.Role.KEY_PADDING and p.side in ("src", "self")
        )
        if api.param("memory_key_padding_mask") is not None:
            memory = "yes" if ev.maybe_given("memory_key_padding_mask") else "no"
        else:
            memory = "n/a"
        tgt = ev.args.get("tgt")
        tgt_embedded = tgt is not None and isinstance(tgt.value, Tensor) and tgt.value.embedded
        return cls(
            api,
            ev.node,
            ev.module,
            fn,
            ev.is_self_attention() and not _last_query(ev),
            causal,
            src_kpm,
            memory,
            tgt_embedded,
            ev.node,
            ev.module,
            masks=tuple(a.value for _, a in ev.masks()),
            causal_guard=ev.frame is not None and any(
                names.CAUSAL_GUARD.search(ev.module.text_of(g)) or names.SINGLE_STEP.search(ev.module.text_of(g))
                for g in ev.frame.guards),
            unread_padding=next((name for name, m, _ in ev.unread_masks() if m.is_padding_shaped() and not (
                isinstance(tgt.value if tgt is not None else None, Tensor) and m.ref is not None
                and tgt.value.origin == m.ref.root)), None) if memory == "no" else None,
            in_eval=ev.frame is not None and ev.frame.training is False,
        )

    def via_call(self, call, module) -> "SinkRecord":
        return replace(self, node=call, module=module, via=self.via + (module.code_of(call.func),))


def causal_status(ev: SinkEvent) -> str:
    """Does this call apply a causal mask to its self-attention?  "yes", "no" or "unknown"."""
    api = ev.api
    target = api.causal_target
    for f in api.causal_flags:
        if f.applies_to not in ("", target):
            continue  # memory_is_causal and the like
        a = ev.args.get(f.name)
        if a is None:
            continue
        if f.window:
            if isinstance(a.value, TupleV) and len(a.value.items) == 2:
                right = a.value.items[1]
                if isinstance(right, Const) and right.value == 0:
                    return "yes"  # (left, 0): a causal sliding window
                if isinstance(right, Const) and isinstance(right.value, int):
                    continue  # (-1, -1) / (w, w): not causal by itself
            if not (isinstance(a.value, Const) and a.value.value is None):
                return "unknown"
            continue
        if isinstance(a.value, Const) and a.value.value is True:
            return "yes"
        if not isinstance(a.value, Const):
            return "unknown"
    if ev.has_star or ev.unbound:
        return "unknown"
    if api is C.MANUAL_SOFTMAX:
        return "no"  # q @ k^T normalised with nothing applied
    if api.stack is C.Stack.MANUAL:  # hand-written attention: what its one mask is
        v = next((a.value for _, a in ev.masks()), None)
        if isinstance(v, Mask) and v.is_causal_shaped():
            return "yes"
        if isinstance(v, Mask) and v.region in (Region.PAD, Region.REAL) and (
                not v.assumed or any(names.KEY_EXPAND.search(e.text) for e in v.evidence)):
            return "no"  # padding only, as the code extends it (the function may apply a causal mask in another step)
        return "unknown"
    if not target:
        # flag-only APIs (flash_attn): the flag is the only way to be causal
        return "no" if api.causal_flags and not api.params else "unknown"
    a = ev.args.get(target)
    if a is None or (isinstance(a.value, Const) and a.value.value is None):
        if any(isinstance(arg.value, Mask) and arg.value.is_causal_shaped() for _, arg in ev.masks()):
            return "unknown"  # a causal mask given in another slot: ML501's finding, not a missing mask
        return "no"
    v = a.value
    if isinstance(v, Mask):
        if v.is_causal_shaped():
            return "yes"
        lost = any(e.text.startswith(CAUSAL_LOST) for e in v.evidence)  # the code's own `causal | pad`
        if v.region in (Region.PAD, Region.REAL, Region.NEAR, Region.FAR, Region.SAME, Region.OTHER) \
                and (not v.assumed or lost):
            # padding only, a window with no causal part (|i - j| <= w, i - j < w), or a
            # block-diagonal same-document mask (ids[:, None] == ids[None, :])
            return "no"
        if not v.assumed and _hides_nothing(api.param(target), v):
            return "no"  # `(1.0 - torch.ones_like(ids)) * min`: a mask of zeros
    return "unknown"


def _hides_nothing(param, v: Mask) -> bool:
    if param is None:
        return False
    if v.dtype is Dt.FLOAT and param.float_is_additive:
        return v.inside is Cell.ZERO and v.outside is Cell.ZERO
    if v.dtype is Dt.BOOL:
        keep = param.polarity is C.Polarity.KEEP
        return v.true_set() is (Region.ALL if keep else Region.NONE)
    return False


class ModelFacts:
    """Everything the analysis learnt about one class: its sinks per method."""

    def __init__(self, cls):
        self.cls = cls
        self.sinks: Dict[str, List[SinkRecord]] = {}
        self.init_findings = []
        self.callers: List[Any] = []  # other modules whose code called this model
        self.report_in = cls.module  # the module whose findings are being collected

    def add_sinks(self, fn, sinks) -> None:
        self.sinks.setdefault(fn.name, []).extend(sinks)

    def all_sinks(self) -> List[SinkRecord]:
        return [s for lst in self.sinks.values() for s in lst]
