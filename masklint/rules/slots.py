from dataclasses import replace
from typing import Optional

from masklint._libcst import cst

from masklint import conventions as C
from masklint.analysis.events import Finding, causal_status
from masklint.analysis.modules import dotted
from masklint.analysis.values import Cell, Const, Dt, Mask, Region, Tensor
from masklint.rules._common import blocked_set, describe, finding, wrong_slot
from masklint.rules.base import Rule
from masklint.analysis import names
from masklint.analysis.usage import branch_dropped, unread


class MaskInWrongSlot(Rule):
    code = "ML501"
    confirmed_by = "check"
    name = "mask-in-wrong-slot"
    summary = "a mask lands in a parameter meant for another kind of mask (positional or keyword)"

    def on_sink(self, event):
        yield from self._named_in_padding_slot(event)
        yield from self._causal_in_source_slot(event)
        for param, arg in event.masks():
            what = wrong_slot(event, param, arg.value)
            if not what:
                continue
            how = f"as positional argument {arg.index}" if arg.index is not None else "by keyword"
            want = "key_padding_mask-style (N, S) parameter" if param.role is C.Role.KEY_PADDING else \
                "attention-mask (L, S) parameter"
            other = [p.name for p in event.api.params
                     if (p.role is C.Role.KEY_PADDING) != (param.role is C.Role.KEY_PADDING) and p.side == param.side]
            hint = f"pass it as {other[0]}=" if other else ""
            fix = None
            if other and arg.index is not None and other[0] not in event.args:
                later = [a for a in event.args.values() if a.index is not None and a.index > arg.index]
                if not later and not event.has_star:
                    text = event.module.tree.code_for_node(arg.node)
                    fix = (f"Pass it as {other[0]}=", ((arg.node, f"{other[0]}={text}"),))
            yield replace(finding(
                self.code, event, arg.node,
                f"{what} {describe(event, arg)} lands in {param.name} of {event.api.display} ({how})",
                arg.value,
                fix=fix,
                help=hint,
                note=f"{param.name} is a {want}",
            ), slot=param.name)

    def _causal_in_source_slot(self, event):
        """``nn.Transformer(src, tgt, causal)``: a causal mask passed positionally lands in the
        encoder's ``src_mask`` while the decoder's ``tgt_mask`` is left empty, so the encoder is
        causal and the decoder sees the future."""
        src = next((p for p in event.api.params if p.role is C.Role.ATTN and p.side == "src"), None)
        tgt = next((p for p in event.api.params if p.role is C.Role.ATTN and p.side == "tgt"), None)
        a = event.args.get(src.name) if src is not None and tgt is not None else None
        if a is None or a.index is None or not isinstance(a.value, Mask) or a.value.assumed or \
                not a.value.is_causal_shaped() or event.given(tgt.name) or event.has_star or any(
                    event.flag_true(f.name) for f in event.api.causal_flags if f.applies_to == tgt.name):
            return
        later = [x for x in event.args.values() if x.index is not None and x.index > a.index]
        fix = None if later else (f"Pass it as {tgt.name}=", ((a.node, f"{tgt.name}={event.module.code_of(a.node)}"),))
        yield replace(finding(
            self.code, event, a.node,
            f"causal mask {describe(event, a)} lands in {src.name} of {event.api.display} "
            f"(as positional argument {a.index}); {tgt.name} is empty",
            a.value,
            fix=fix,
            help=f"pass it as {tgt.name}=",
            note="the encoder becomes causal and the decoder attends to future target tokens",
        ), slot=src.name)

    def _named_in_padding_slot(self, event):
        """``self.attn(h, h, h, chunk_mask)``: a mask whose value is not known, named for an (L, S)
        attention mask, passed positionally into a key padding slot (MHA's 4th argument)."""
        for p in event.api.params:
            a = event.args.get(p.name)
            if p.role is not C.Role.KEY_PADDING or a is None or a.index is None or isinstance(a.value, Mask):
                continue
            other = next((q for q in event.api.params if q.role is C.Role.ATTN and q.side == p.side), None)
            if other is None:
                continue  # the API's only mask slot (a flash path's padding mask): nowhere else to put it
            text = event.module.code_of(a.node)
            if not names.ATTENTION_MASK_VAR.match(text) or names.PAD_NAME.search(text):
                continue
            taken = other.name in event.args  # given already (positionally): `other=` would pass it twice
            yield replace(finding(
                self.code, event, a.node,
                f"`{text}`, named for an attention mask, lands in {p.name} of {event.api.display} "
                f"(as positional argument {a.index})",
                help="" if taken else f"pass it as {other.name}=",
                note=f"{p.name} is a key_padding_mask-style (N, S) parameter",
            ), slot=p.name)


class MissingMemoryPaddingMask(Rule):
    code = "ML502"
    name = "missing-memory-padding-mask"
    summary = "the encoder input is padding-masked but decoder cross-attention gets no memory_key_padding_mask"

    def on_sink(self, event):
        if event.has_star:
            return
        memory = _padded_memory(event)
        if memory is not None:
            arg, (module, node) = memory
            yield finding(
                self.code, event, event.node,
                f"{event.api.display} attends to the encoder's output `{event.module.code_of(arg.node)}` without "
                "its padding mask",
                help=f"pass {_slot_hint(event.api, padding=True, side=_memory_side(event.api))}",
                note="the encoder hid its padded positions from itself, but this cross-attention attends to them",
                steps=((module, node, "the padding mask the encoder was given"),),
            )
            return
        if event.api.stack is not C.Stack.ENCODER_DECODER:
            return
        if event.given("src_key_padding_mask") and not event.given("memory_key_padding_mask"):
            yield finding(
                self.code, event, event.node,
                f"{event.api.display} gets src_key_padding_mask but no memory_key_padding_mask",
                help="pass memory_key_padding_mask=src_key_padding_mask",
                note="the decoder's cross-attention attends to the padded source positions",
            )

    def on_model(self, facts):
        sinks = facts.all_sinks()
        enc = [s for s in sinks if s.api.stack is C.Stack.ENCODER and s.src_kpm]
        masked = [s for s in sinks if s.api.stack is C.Stack.DECODER and s.memory_kpm == "yes"]
        seen = set()
        # one finding per decoder call: where the call is, when this class's module has it
        sinks = sorted(sinks, key=lambda s: s.node is not s.sink_node)
        for s in sinks:
            if s.api.stack is not C.Stack.DECODER or s.memory_kpm != "no" or id(s.sink_node) in seen:
                continue
            if enc:
                why = "its encoder masks source padding"
                step = (enc[0].module, enc[0].node, "the encoder call, with src_key_padding_mask")
            else:
                # the training path masks the memory's padding, or the function is handed the
                # memory's lengths or mask: a search path that leaves them unused does not mask it
                unused = _unused_padding_info(s.fn) or s.unread_padding  # taken, or built here, and never read
                if unused is None:
                    continue
                if masked:
                    why = f"another call masks the memory's padding, and `{unused}` goes unused here"
                    step = (masked[0].module, masked[0].node, "the decoder call with memory_key_padding_mask")
                elif not (names.MEMORY_LENGTHS.search(unused) or names.PADDING_MASK_PARAM.search(unused)):
                    continue  # `memory_mask` is torch's name for an attention mask, not the memory's padding
                else:
                    why = f"`{unused}`, the memory's padding, goes unused here"
                    step = (s.module, s.node, f"`{unused}` is taken and never read")
            seen.add(id(s.sink_node))
            yield Finding(
                self.code, s.node, s.module,
                f"decoder of {facts.cls.name} gets no memory_key_padding_mask; {why}",
                help="pass memory_key_padding_mask=<the source padding mask>",
                note="cross-attention attends to the padded source positions",
                steps=(step,),
            )


def _memory_side(api) -> str:
    return "memory" if any(side == "memory" for side, _, _ in api.sides) else "self"


def _padded_memory(event):
    """Cross-attention whose keys are an encoder's output whose padding the encoder hid
    (``Tensor.padding_of``), given no mask for them: (the key argument, where the encoder's mask
    is), else None."""
    api = event.api
    for side, query, key in api.sides:
        if side not in ("memory", "self") or query == key:
            continue
        k, q = event.arg(key), event.arg(query)
        if k is None or not isinstance(k.value, Tensor) or k.value.padding_of is None:
            continue
        if side == "self" and (q is None or event.is_self_attention()):
            continue  # self-attention over the encoder's own output: ML505's concern
        # any expression in a mask slot (one that is None on some path included) may hold the padding
        if any(event.maybe_given(p.name) for p in api.params if p.side == side):
            continue
        return k, k.value.padding_of
    return None


def _last_position_query(event, fn) -> bool:
    """Is the call's query the last position only (``tgt[-1:]``, ``x[:, -1:]``, or a name assigned
    one), as in incremental decoding, where an attention mask over the past hides nothing?"""
    api = event.api
    q = event.arg(api.sides[0][1]) if api.sides else None
    node = q.node if q is not None else None
    if isinstance(node, cst.Name):
        return names.assigned_last_position(node.value, event.module.text_of(fn.node))
    return isinstance(node, cst.Subscript) and bool(names.LAST_POSITION.search(event.module.text_of(node)))


def _same_variable(a, b) -> bool:
    """Are two mask arguments one variable, sliced or converted (`tgt_pad` and `tgt_pad[:, :L]`)?"""
    if a is None or b is None or a.node is b.node:
        return False  # one `**kwargs` splat holds both: not one variable
    names_ = [_variable(x.node) for x in (a, b)]
    return names_[0] is not None and names_[0] == names_[1]


def _variable(node) -> Optional[str]:
    while True:
        if isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and not node.args:
            node = node.func.value  # `mask.bool()`
        else:
            break
    return dotted(node)  # `tgt_pad`, `batch.tgt_pad`


def _idle_params(fn):
    """The names of ``fn``'s parameters that its body never reads, in order."""
    idle = unread(fn)
    return [p.name.value for p in fn.params() + fn.kwonly() if p.name.value in idle]


def _unused_padding_info(fn):
    """A parameter of ``fn`` that carries the memory's lengths or padding mask and is never read."""
    if fn is None:
        return None
    return next((name for name in _idle_params(fn) if "tgt" not in name and (
        names.MEMORY_LENGTHS.search(name) or names.is_mask_param(name) or names.PADDING_MASK_PARAM.search(name))),
        None)


class PaddingMaskWrongSide(Rule):
    code = "ML503"
    confirmed_by = "check"
    name = "padding-mask-wrong-side"
    summary = "a target padding mask given as the source/memory padding mask, or the reverse (or a causal mask to cross-attention)"

    def on_sink(self, event):
        api = event.api
        if not (api.has_encoder or api.has_decoder):
            yield from self._cross_attention(event)
            return
        roots = {}
        for name in ("src", "tgt", "memory"):
            a = event.arg(name)
            if a is not None and isinstance(a.value, Tensor) and a.value.ref is not None:
                roots[name] = a.value.ref.root
        if api.stack is C.Stack.DECODER and "memory" in roots:
            roots["src"] = roots["memory"]
        if api.stack is C.Stack.ENCODER and "src" in roots:
            # an encoder only sees the source: a padding mask of a target-named tensor is the wrong one
            roots.setdefault("tgt", "")
        for param, arg in event.masks():
            m = arg.value
            if param.role is not C.Role.KEY_PADDING or m.ref is None or m.region not in (Region.PAD, Region.REAL):
                continue
            side = "src" if param.side in ("src", "memory") else "tgt"
            other = "tgt" if side == "src" else "src"
            wrong = other in roots and m.ref.root == roots[other] and roots.get(side) != roots[other]
            if api.stack is C.Stack.ENCODER and m.ref.root != roots.get("src") and names.TARGET.search(m.ref.root) \
                    and not names.TARGET.search(roots.get("src") or ""):
                wrong = True  # (an encoder of a target-named tensor: its mask is named so too)
            if param.side == "memory" and roots.get("src") and roots.get("tgt") and roots["src"] != roots["tgt"] \
                    and m.ref.root != roots["src"] and _same_variable(arg, event.arg("tgt_key_padding_mask")) \
                    and (names.TARGET.search(m.ref.root) or isinstance(arg.node, cst.Name)):
                # `tgt_key_padding_mask=tgt_pad[:, :L], memory_key_padding_mask=tgt_pad`: one mask for
                # both, while the memory is another sequence
                wrong, other = True, "tgt"
            if wrong:
                shown = describe(event, arg)
                of = f"the {other}" if m.ref.root in shown else f"the {other} `{m.ref.root}`"
                yield finding(
                    self.code, event, arg.node,
                    f"padding mask {shown} of {of} passed as {param.name}",
                    m,
                    help=f"use the padding mask of the {'source' if side == 'src' else 'target'} sequence",
                    note=f"{param.name} masks the {'source/memory' if side == 'src' else 'target'} keys",
                )


    def _cross_attention(self, event):
        """A causal mask over the queries given to cross-attention: the keys are another
        sequence's (an encoder's output), so "the future" of a query means nothing there."""
        api = event.api
        if api.self_attention != "if_same" or event.has_star:
            return
        for _, q_name, k_name in api.sides:
            q, k = event.arg(q_name), event.arg(k_name) or event.arg("value")
            if q is None or k is None or not isinstance(q.value, Tensor) or not isinstance(k.value, Tensor):
                continue
            qo, ko = q.value.origin, k.value.origin
            if not qo or not ko or qo == ko or k.value.cached or names.OTHER_SEQUENCE.search(qo):
                continue
            named = bool(names.OTHER_SEQUENCE.search(ko))
            for param, arg in event.masks():
                m = arg.value
                if named and not m.assumed and m.is_padding_shaped() and m.ref is not None and \
                        names.TARGET.search(m.ref.root) \
                        and not names.TARGET.search(ko) and param.role in (C.Role.ATTN, C.Role.KEY_PADDING) \
                        and not names.OTHER_TARGET.search(m.ref.root) and not _computed_from(event, ko, m.ref.root):
                    # `attention_mask=padding_mask` of `target_tokens` to the attention over the encoder's output
                    yield finding(
                        self.code, event, arg.node,
                        f"padding mask {describe(event, arg)} of the target given to cross-attention over `{ko}`",
                        m,
                        help=f"use the padding mask of the source sequence (the one `{ko}` encodes)",
                        note="the keys are another sequence: the target's padding hides the wrong positions",
                    )
                    return
                if param.role is not C.Role.ATTN or m.assumed or not m.is_causal_shaped():
                    continue
                if not (named or _after_self_attention(event, m)):
                    continue
                yield finding(
                    self.code, event, arg.node,
                    f"causal mask {describe(event, arg)} of the queries given to cross-attention over `{ko}`",
                    m,
                    help=f"give the cross-attention the padding mask of `{ko}` (or none)",
                    note="the keys are another sequence: the causal part hides real source positions, and the "
                         "source padding is not hidden",
                )
                return


def _after_self_attention(event, m) -> bool:
    """Does the function of the call run self-attention with this very mask before it (a decoder
    layer: attention of the queries over themselves, then the same mask for attention over another
    tensor)?  The second is cross-attention, whatever its keys are called (`frames`, `feats`); a
    mask of its own (XLNet's query stream, a Perceiver's offset triangle) may be meant for it."""
    fr = event.frame
    return fr is not None and fr.fn is not None and any(
        s.self_attention and s.fn is fr.fn and s.sink_node is not event.node and any(x is m or x == m for x in s.masks)
        for s in fr.sinks)


def _computed_from(event, name: str, root: str) -> bool:
    """Is ``name`` assigned, in the function of the call, from an expression naming ``root``
    (``cond = self.ref_in(target_feats)``: keys computed from the masked tensor)?"""
    if event.frame is None:
        return False
    from masklint.analysis.writes import _assigned

    return any(names.mentions_word(root, event.module.code_of(v)) for v in _assigned(event.frame, name))


class UnusedMask(Rule):
    code = "ML504"
    name = "unused-mask"
    summary = "an attention call without a mask while the function's own padding or attention mask goes unused"

    def on_value(self, ev):
        """``mask = None`` right after the code prepared ``mask`` (usage.dropped_masks); a call that
        leaves out, on one branch, the padding mask it gets on the other (usage.branch_dropped)."""
        from masklint.analysis.events import Finding

        if ev.kind == "branch_drops_mask":
            from masklint.analysis.events import REACHES

            name, test, sink_module, sink_node = ev.const.value
            # the attention call it reaches, last (the runtime checks the finding there)
            step = (sink_module, sink_node, f"{REACHES} {ev.module.code_of(ev.node.func)}(), called at line "
                                            f"{ev.module.line_of(ev.node)}")
            yield Finding(self.code, ev.node, ev.module, _branch_message(name, ev.module, test, "this call"),
                          help=f"pass `{name}` here too", note=_BRANCH_NOTE, steps=(step,))
            return
        if ev.kind == "kwargs_mask_dropped":
            yield Finding(self.code, ev.node, ev.module,
                          f"`{ev.const.value}` handed in through **kwargs is replaced with None here: the model gets "
                          "no mask",
                          help=f"pass it on: `kwargs.get(\"{ev.const.value}\")`",
                          note="the attention it was given for attends to every key, the padding included",
                          written=True)
            return
        if ev.kind == "discarded_result":
            method = ev.const.value
            yield Finding(self.code, ev.node, ev.module,
                          f"the result of `{method}(...)` is dropped: it returns a new tensor, and "
                          f"`{method.rsplit('.', 1)[0]}` is unchanged",
                          help=f"assign it (`x = {method}(...)`), or call the in-place `{method}_(...)`",
                          note="the mask it builds never reaches the attention",
                          written=True)
            return
        if ev.kind != "mask_dropped":
            return
        yield Finding(self.code, ev.node, ev.module,
                      f"`{ev.const.value}` is prepared above and then set to None: the calls below get no mask",
                      help="delete this line (or pass the mask it replaces)",
                      note="the attention it was prepared for attends to every key, padding included")

    def on_sink(self, event):
        api = event.api
        slots = [p for p in api.params if p.role in (C.Role.KEY_PADDING, C.Role.ATTN, C.Role.MEMORY)]
        if not slots or event.has_star or event.unbound:
            return
        if event.frame is not None and event.frame.fn is not None and \
                not any(event.given(p.name) for p in slots):
            dropped = branch_dropped(event.frame.fn).get(id(event.node))
            if dropped is not None:
                yield finding(self.code, event, event.node,
                              _branch_message(dropped[0], event.module, dropped[1], api.display),
                              help=f"pass it here too: {_slot_hint(api, True)}", note=_BRANCH_NOTE)
                return
        padding_given = any(event.given(p.name) and not _causal_only(event.arg(p.name).value)
                            and not _zeros(event.arg(p.name).value) for p in slots)
        attn_free = any(p.role is C.Role.ATTN and not event.given(p.name) for p in slots)
        causal = causal_status(event) == "yes" or any(
            isinstance(a.value, Mask) and a.value.is_causal_shaped() for _, a in event.masks())
        keys = [event.arg(key) for _, _, key in api.sides]
        inputs = {a.value.origin for a in keys if a is not None and isinstance(a.value, Tensor) and a.value.origin}
        for name, m, param in event.unread_masks():
            if m.is_padding_shaped():
                if padding_given:
                    continue  # some mask that may hold the padding is passed
                if causal and param and not m.left:
                    continue  # a causal model may ignore right padding it was handed (the loss masks it)
                if m.ref is not None and inputs and m.ref.root not in inputs:
                    continue  # the padding of another sequence (the queries' in cross-attention)
                if api.param("memory_key_padding_mask") is not None and not event.given("memory_key_padding_mask"):
                    tgt = event.arg("tgt")
                    if not (tgt is not None and isinstance(tgt.value, Tensor) and m.ref is not None
                            and tgt.value.origin == m.ref.root):
                        continue  # the encoder's padding, unused by the decoder: ML502's finding
                kind = "padding mask"
            else:
                if not attn_free or (causal and m.is_causal_shaped() and not m.left):
                    continue  # (a causal flag in its place drops only right padding, if any)
                kind = "attention mask"
            yield finding(
                self.code, event, event.node,
                f"{kind} `{name}` is never used: {api.display} runs without it",
                m,
                help=f"pass it: {_slot_hint(api, m.is_padding_shaped())}",
                note="every query attends to the keys the mask was built to hide" if kind == "attention mask" else
                     "every query attends to the padded keys, so outputs depend on how much padding the batch has",
            )
            return
        yield from self._idle_mask_parameter(event, slots)
        if not attn_free and api.stack is not C.Stack.MANUAL:
            return  # (hand-written attention applies its masks one by one: the one given may be another)
        for callee, caller in event.dropping_callers():
            for name, m, _ in event.unread_masks(caller, any_region=True):
                if m.is_causal_shaped() and causal_status(event) == "yes":
                    continue  # the causal mask it drops is applied by is_causal
                if padding_given and (m.is_padding_shaped() or m.region is Region.UNKNOWN and m.assumed):
                    continue  # the padding is passed; only a dropped attention mask is lost
                yield finding(
                    self.code, event, event.node,
                    f"mask `{name}` is never used: `{callee.fn.qualname}` runs "
                    f"{'its attention' if api.stack is C.Stack.MANUAL else api.display} without a mask",
                    m,
                    help=f"pass `{name}` on to `{callee.fn.qualname}`",
                    note="the function takes a mask and got None, so every query attends to the keys the "
                         "mask hides (with left padding, to the padding)",
                )
                return

    def _idle_mask_parameter(self, event, slots):
        """A function that passes one mask to the attention call and takes another, for the slot
        left empty, that it never reads (`def block(attn, x, padding_mask, attn_mask=None)` calling
        `attn(x, x, x, key_padding_mask=padding_mask)`): the mask its callers hand it is lost."""
        frame = event.frame
        if frame is None or frame.fn is None:
            return
        given_pad = any(event.given(p.name) for p in slots if p.role is C.Role.KEY_PADDING)
        given_attn = any(event.given(p.name) for p in slots if p.role is C.Role.ATTN)
        if not given_pad and not given_attn:
            yield from self._causal_only(event)
            return
        if not given_pad and _causal_mask_only(event):
            found = list(self._causal_only(event))  # a flash-attention stand-in that builds the causal mask
            if found:
                yield from found
                return
        if given_pad == given_attn:
            return  # both passed: no sign that the function forwards masks
        name = _idle_parameter(frame.fn, padding=not given_pad)
        if name is None or (names.CROSS_MASK_NAME.search(name) and event.is_self_attention()):
            return  # `encoder_attention_mask` kept for a cross-attention this layer does not run
        passed = frame.incoming.get(name)
        if frame.concrete and (passed is None or isinstance(passed, Const) and passed.value is None):
            return  # this caller passes no such mask: none is lost here
        if event.api.param("memory_key_padding_mask") is not None and not event.given("memory_key_padding_mask") \
                and name == _unused_padding_info(frame.fn):
            return  # the memory's padding mask left unused by a decoder: ML502's finding
        if not given_attn and _last_position_query(event, frame.fn):
            return  # the last token's query (incremental decoding): every key is in its past
        yield finding(
            self.code, event, event.node,
            f"mask parameter `{name}` is never used: {event.api.display} runs without it",
            help=f"pass it on: {_slot_hint(event.api, not given_pad)}",
            note="the function takes the mask and passes only the other one, so the mask its callers give is lost",
        )


    def _causal_only(self, event):
        """An attention run with only its causal flag by a function (or the user function that
        calls it) that takes an attention mask, is given a left-padded one, and never reads it (a
        flash-attention patch of a model's ``forward(hidden_states, attention_mask=None)`` used
        for batched generation): the causal flag covers the future, not the padding before the
        prompt.  (Right padding comes after every real token: a causal model may ignore it.)"""
        if causal_status(event) != "yes" or not (
                any(event.arg(f.name) for f in event.api.causal_flags) or _causal_mask_only(event)):
            return  # only a causal flag, or only a causal mask the code built (a flash-attention stand-in)
        from masklint.analysis.events import Finding

        stack = event.interp.stack
        for fr in reversed(stack[-3:] if stack and stack[-1] is event.frame else [event.frame]):
            if fr is None or fr.fn is None:
                continue
            name = next((n for n in _idle_params(fr.fn) if names.is_mask_param(n) and not names.CROSS_MASK_NAME.search(n)
                         and not names.CAUSAL_BUILD.search(n) and isinstance(fr.incoming.get(n), Mask)
                         and fr.incoming[n].left), None)
            if name is None:
                continue
            message = f"left-padded mask `{name}` is never used: {event.api.display} runs with only its causal flag"
            help = f"apply it: {_slot_hint(event.api, True)}, combined with the causal mask"
            note = ("the causal flag hides the future, not the padding: with prompts padded on the left, every token "
                    "attends to the pads before it")
            yield finding(self.code, event, event.node, message, help=help, note=note)
            return
        for callee, caller, name, held in event.held_back():
            # the caller reads its left-padded mask (for positions, say) but calls down without it:
            # the layer's parameter of that name stays None
            seq = any(isinstance(v, Tensor) and (v.embedded or v.padded_ids) for v in callee.incoming.values())
            if held.left and callee.call is not None and seq:  # (the held mask's sequence goes down this call)
                yield Finding(
                    self.code, callee.call, caller.module,
                    f"left-padded mask `{name}` is not passed on: `{callee.fn.qualname}` runs "
                    f"{event.api.display} with only its causal flag",
                    help=f"pass `{name}` on to `{callee.fn.qualname}` and combine it with the causal mask there",
                    note="the causal flag hides the future, not the padding: with prompts padded on the left, "
                         "every token attends to the pads before it",
                    steps=((event.module, event.node, f"`{callee.fn.qualname}` runs this call with only its "
                            "causal mask"),), written=True,
                )
                return


def _causal_mask_only(event) -> bool:
    """Is every mask the call gets a causal mask the code built, with no padding part?"""
    masks = [a.value for _, a in event.masks()]
    return bool(masks) and all(isinstance(m, Mask) and m.is_causal_shaped() and not m.is_padding_shaped()
                               and not m.assumed for m in masks)


_BRANCH_NOTE = ("on this path every query attends to the padded keys (a decode step over a left-padded "
                "cache, a gradient-checkpointed training step), so outputs depend on the padding")


def _branch_message(name: str, module, test, what: str) -> str:
    return f"`{name}` is passed on the other branch of `if {module.code_of(test)}:`, not to {what}"


def _idle_parameter(fn, padding: bool):
    """A parameter of ``fn`` named for an attention mask (``padding``: for a padding mask) that
    its body never reads."""
    return next((name for name in _idle_params(fn)
                 if names.is_mask_param(name) and bool(names.PADDING_MASK_PARAM.search(name)) == padding), None)


def _slot_hint(api, padding: bool, side: str = "") -> str:
    """Where a padding mask (``padding``) or an attention mask goes in ``api`` (for ``side``'s keys
    when given)."""
    kp = next((p for p in api.params if p.role is C.Role.KEY_PADDING and (not side or p.side == side)), None)
    if kp is not None and padding:
        return f"`{kp.name}=...` (True = padding)"
    attn = next((p for p in api.params if p.role is C.Role.ATTN), None)
    if attn is None:
        return "the mask"
    return f"`{attn.name}=...` extended to (N, 1, 1, S)" if padding else f"`{attn.name}=...`"


class MissingPaddingMask(Rule):
    code = "ML505"
    name = "missing-padding-mask"
    summary = "attention over embeddings of padded token ids (nn.Embedding(padding_idx=...)) without a padding mask"

    def on_sink(self, event):
        api = event.api
        if event.has_star or event.unbound:
            return
        target = api.param(api.causal_target) if api.causal_target else None
        for side, _, key_name in api.sides:
            if side == "memory":
                continue  # the encoder's padding in cross-attention: ML502's finding
            key = event.arg(key_name)
            if key is None or not isinstance(key.value, Tensor) or key.value.embedded not in ("padded", "left"):
                continue
            left = key.value.embedded == "left"
            slots = [p for p in api.params if p.side == side and p.role in (C.Role.KEY_PADDING, C.Role.ATTN, C.Role.MEMORY)]
            if not slots and side != "self":
                continue
            if any(event.given(p.name) and not _causal_only(event.arg(p.name).value)
                   and not _hides_nothing(p, event.arg(p.name).value) for p in slots):
                continue  # a mask that may hold the padding
            if not slots and any(("mask" in name or name == "score_mod") and not (
                    isinstance(a.value, Const) and a.value.value is None) for name, a in event.args.items()):
                continue  # flex_attention's block_mask / score_mod: built from a mask_mod that may hide the padding
            causal_side = target is None or target.side == side
            causal = causal_status(event)
            if causal == "unknown" and not any(event.arg(f.name) for f in api.causal_flags) and all(
                    _hides_nothing(p, event.arg(p.name).value) for p in slots if event.given(p.name)):
                causal = "no"  # the only mask given hides nothing
            if causal_side and not left and (causal == "yes" or causal == "unknown" and side in ("self", "tgt")):
                # causal self-attention (a decoder, or an encoder stack given a causal mask: a
                # decoder-only LM): right padding comes after every real token
                continue
            if any(event.unread_masks(caller, any_region=True) for _, caller in event.dropping_callers()) or \
                    any(m.is_padding_shaped() for _, m, _ in event.unread_masks()) or \
                    any(m.left for _, _, _, m in event.held_back()):
                return  # a caller holds the mask and drops it, or this function never reads it: ML504's finding
            origin = key.value.origin
            shown = origin or event.module.code_of(key.node)
            given = [event.arg(p.name).value for p in slots if event.given(p.name)]
            empty = bool(given) and all(_hides_nothing(p, event.arg(p.name).value) for p in slots if event.given(p.name))
            yield finding(
                self.code, event, event.node,
                f"{api.display} attends over padded `{shown}`; its mask hides nothing" if empty else
                f"{api.display} attends over left-padded `{shown}` with only a causal mask" if left and given else
                f"{api.display} attends over padded `{shown}` without a padding mask",
                help=f"pass {_slot_hint(api, padding=True)}",
                note="the ids are padded on the left, so even causal queries attend to the padding before them"
                     if left else
                     "the embedding has a padding_idx, so the batch is padded, and every query attends to the padding",
            )
            return

    def on_value(self, ev):
        """A collate function returning padded ids with a mask of ones (``sinks.returned_batch``);
        a padding mask that compares the ids with another id than the embedding's padding_idx."""
        if ev.kind == "wrong_pad_id":
            listed = isinstance(ev.const.value, tuple)
            pad_id = ev.const.value[0] if listed else ev.const.value
            yield Finding(self.code, ev.node, ev.module,
                          f"the padding mask compares the ids with {ev.module.code_of(ev.const_node)}, but " +
                          (f"the vocabulary puts {ev.const.value[1]!r} at {pad_id}" if listed else
                           f"their embedding's padding_idx is {pad_id}"),
                          help=f"compare with the pad id the ids are padded with ({pad_id})",
                          note="the mask hides another token and leaves the padding visible")
            return
        if ev.kind != "ones_mask_for_padded" or ev.mask is None:
            return
        yield Finding(self.code, ev.const_node, ev.module,
                      "the batch's token ids are padded but its attention mask is all ones",
                      help="build the mask from the ids: `(input_ids != pad_id).long()`",
                      note="the model attends to the padding, so outputs depend on how long the other examples are",
                      value=ev.mask)


def _hides_nothing(param, v) -> bool:
    """A mask built to hide nothing (``attention_mask = torch.ones_like(input_ids)``); not a
    padding mask computed from ids that merely hold no padding here (``ys == PAD`` in decoding)."""
    if not isinstance(v, Mask) or v.assumed:
        return False
    if any(names.PAD_COMPARE.search(e.text) for e in v.evidence[1:]):
        return False
    if param.float_is_additive and v.dtype is Dt.FLOAT and v.inside is Cell.ZERO and v.outside is Cell.ZERO:
        return True  # an additive mask of zeros: `(1.0 - ones) * finfo.min`
    return blocked_set(param, v) is Region.NONE


def _zeros(v) -> bool:
    """A float mask of zeros only (`torch.zeros(B, 1, 1, T)` whose fill was dropped): it hides nothing."""
    return isinstance(v, Mask) and v.dtype is Dt.FLOAT and v.inside is Cell.ZERO and v.outside is Cell.ZERO and \
        not v.assumed


def _causal_only(v) -> bool:
    return isinstance(v, Mask) and v.is_causal_shaped() and v.region not in (Region.KEEP_MIX, Region.BLOCK_MIX)
