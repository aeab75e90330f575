from masklint import conventions as C
from masklint.analysis import names, sources
from masklint.analysis.algebra import ADDED_TO_ADDITIVE
from masklint.analysis.sinks import ADDED_AS_BINARY, ZERO_FILLED
from masklint.analysis.values import Dt, Region
from masklint.rules._common import (SHORT, corroborated, describe, explain, finding, param_phrase, value_finding,
                                     wrong_slot)
from masklint.rules.base import Rule


class FloatKeyPaddingMask(Rule):
    code = "ML201"
    name = "float-key-padding-mask"
    summary = "a 0/1 float key padding mask: masks nothing on the slow path, reads as bool on the fast path"

    def on_sink(self, event):
        for param, arg in event.masks():
            m = arg.value
            if param.role is C.Role.KEY_PADDING and param.float_is_additive and m.is_binary_float():
                if not corroborated(m, param):
                    continue
                yield finding(
                    self.code, event, arg.node,
                    f"0/1 float padding mask {describe(event, arg)} passed as {param_phrase(event.api, param)}",
                    m,
                    help="pass a bool mask, True = padding",
                    note="in training its values are added to the scores (+1 masks nothing); the eval fast path "
                         "reads any nonzero as padding",
                )


class BinaryFloatMask(Rule):
    code = "ML202"
    also_confirmed_by = ("ML605",)
    name = "binary-float-mask"
    summary = "a 0/1 float mask used as an additive attention mask (it adds +1, masking nothing)"

    def on_sink(self, event):
        for param, arg in event.masks():
            m = arg.value
            # a mask multiplied into scores that a softmax reads is wrong whatever it holds (0/1 leaves
            # exp(0) at the masked keys, 0/-inf turns the kept scores into 0 and the others into inf):
            # its name suffices there
            multiplied = event.api is C.MANUAL_MUL
            if event.api.applied == "scores" and param.role is C.Role.ATTN and \
                    (corroborated(m, param) or _made_bool(m) or multiplied):
                filled = m.evidence[-1].text == ZERO_FILLED
                yield finding(
                    self.code, event, arg.node,
                    f"mask {describe(event, arg)} fills the scores with 0 before the softmax" if filled else
                    f"0/1 mask {describe(event, arg)} multiplies the scores before the softmax",
                    m,
                    help="fill with -inf: `scores.masked_fill(mask, torch.finfo(scores.dtype).min)`" if filled else
                         "fill instead: `scores.masked_fill(mask == 0, torch.finfo(scores.dtype).min)`",
                    note="a score set to 0 still gets weight exp(0) = 1; the masked positions are attended",
                )
                continue
            if param.role is C.Role.KEY_PADDING or not param.float_is_additive:
                continue
            if not m.is_binary_float():
                continue
            if not (corroborated(m, param) or _made_bool(m)) or wrong_slot(event, param, m):
                continue
            nontrivial = m.true_set() not in (Region.ALL, Region.NONE)
            if not (nontrivial or event.api.fast_path_float_as_bool):
                continue
            added_bool = m.evidence[-1].text == ADDED_AS_BINARY
            summed = any(e.text == ADDED_TO_ADDITIVE for e in m.evidence)
            yield finding(
                self.code, event, arg.node,
                f"bool mask {describe(event, arg)} added to the scores (True adds 1, False adds 0)" if added_bool else
                f"0/1 float mask summed into additive {describe(event, arg)}, passed as "
                f"{param_phrase(event.api, param)}" if summed else
                f"0/1 float mask {describe(event, arg)} passed as {param_phrase(event.api, param)} "
                "(float masks are added to the scores)",
                m,
                help="use a bool mask, or 0 / -inf: `.masked_fill(mask == 0, float('-inf'))`",
                note="adding 1"
                + (f" {SHORT[m.true_set()]}" if m.true_set() is not Region.UNKNOWN else "")
                + " and 0 elsewhere masks nothing",
            )


    def on_value(self, ev):
        if ev.kind != "float_logical" or ev.mask is None:
            return
        yield value_finding(self.code, ev, ev.node,
                            f"float mask {explain(ev.mask, ev.const_node, ev.module)} combined with & or |",
                            help="combine bool masks: drop the `.float()`, or compare (`mask > 0`) first",
                            note="bitwise_and / bitwise_or are not implemented for float tensors: this raises")


def _made_bool(m) -> bool:
    """A mask guessed from a parameter's name that the code itself made bool (``.bool()``, a
    comparison) before adding it to the scores: its 0/1 values are certain, whatever it held."""
    return m.assumed and any(names.MAKES_BOOL.search(e.text) for e in m.evidence[1:]) and \
        m.evidence[-1].text == ADDED_AS_BINARY


class IntegerMask(Rule):
    code = "ML203"
    confirmed_by = "check"
    name = "integer-mask"
    summary = "an int / long / uint8 mask passed to torch attention"

    def on_sink(self, event):
        for param, arg in event.masks():
            m = arg.value
            if m.dtype is not Dt.INT or C.Dtype.INT in param.dtypes or not corroborated(m, param):
                continue
            if m.assumed and sources.beside_param(event.interp.stack, m, names.ENCODER_STATES_PARAM):
                continue  # `attention_mask` beside `encoder_hidden_states`: a model's inner mask, not the tokenizer's
            yield finding(
                self.code, event, arg.node,
                f"integer mask {describe(event, arg)} passed as {param_phrase(event.api, param)} "
                "(it takes bool or float masks)",
                m,
                help="convert it with `.bool()`, minding the polarity",
                note="torch raises, or on older versions misreads it",
            )

    def on_value(self, ev):
        if ev.kind != "int_condition" or ev.mask is None:
            return
        yield value_finding(self.code, ev, ev.const_node,
                            f"integer mask {explain(ev.mask, ev.const_node, ev.module)} used as a condition "
                            "(masked_fill and torch.where take bool masks)",
                            help="convert it with `.bool()` (1 = True), or compare it (`mask == 0`)",
                            note="torch raises: masked_fill_ only supports boolean masks")


class MixedMaskKinds(Rule):
    code = "ML204"
    confirmed_by = "check"
    name = "mixed-mask-kinds"
    severity = "warning"
    default = False
    summary = "bool and float masks in one call (deprecated, computed correctly)"

    def on_sink(self, event):
        if not event.api.stacks_heads:
            return
        # masks are merged per attention: an attention mask with the key padding mask of its side
        sides = {}
        for param, arg in event.masks():
            if arg.value.dtype in (Dt.BOOL, Dt.FLOAT):
                sides.setdefault(param.side, {}).setdefault(arg.value.dtype, param.name)
        for kinds in sides.values():
            if len(kinds) < 2:
                continue
            yield finding(
                self.code, event, event.node,
                f"{event.api.display} gets a bool {kinds[Dt.BOOL]} and a float {kinds[Dt.FLOAT]}",
                help="use one kind of mask for both",
                note="mixing mask kinds is deprecated (UserWarning) and converts the masks on every call",
            )
            return


class AdditiveMaskAsBinary(Rule):
    code = "ML207"
    confirmed_by = ""
    name = "additive-mask-as-binary"
    summary = "an additive 0 / -inf mask used as a 0/1 keep mask (`1 - mask`)"

    def on_value(self, ev):
        if ev.kind != "one_minus_additive" or ev.mask is None:
            return
        yield value_finding(self.code, ev, ev.node,
                            f"`1 - mask` of the additive mask {explain(ev.mask, ev.const_node, ev.module)} "
                            "(0 = keep, -inf = hide)",
                            help="pass a 0/1 keep mask here, or add the additive mask to the scores as it is",
                            note="1 - (-inf) is +inf and 1 - 0 is 1: the kept positions get the large negative too, "
                                 "and the hidden ones -inf or NaN")


class FiniteMaskOverflow(Rule):
    code = "ML205"
    confirmed_by = "check"
    name = "finite-mask-overflow"
    severity = "warning"
    summary = "a large finite negative mask value that overflows or NaNs in half precision"

    def on_value(self, ev):
        c = ev.const
        v = c.value
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v != v:
            return
        if ev.kind == "sum":
            if not c.finfo_min and not ev.half:
                return  # -65504 + -65504 overflows only in float16
            below = not c.finfo_min and not c.adaptive and v < -C.FP16_MAX
            origin = getattr(c, "origin", None)
            yield _f(self.code, ev, "sum of two masks filled with torch.finfo(...).min overflows to -inf"
                     if c.finfo_min else
                     f"mask value {v:g} is below the float16 range (-65504), and summed with another mask, in "
                     "half-precision code" if below else
                     f"sum of two masks filled with {v:g} (the float16 minimum) overflows to -inf in half precision",
                     help="combine the masks with torch.minimum, or clamp the sum to finfo.min",
                     note="where both mask a position the sum is -inf; a fully masked row is then NaN after softmax",
                     on_sum=True,
                     extra=((origin[0], origin[1], f"{v:g} is written here"),) if below and origin is not None else ())
            return
        if v == float("-inf") or v >= -C.FP16_MAX or c.adaptive:  # -65504 itself is finfo(float16).min
            return
        if not ev.half:
            return
        shown = ev.module.code_of(ev.const_node) if ev.const_node is not None else repr(v)
        yield _f(self.code, ev, f"mask value {shown} is below the float16 range (-65504) in half-precision code",
                 help="use torch.finfo(scores.dtype).min, or float('-inf')",
                 note="masked_fill raises 'value cannot be converted to type at::Half without overflow'; a cast "
                      "makes it -inf (NaN on fully masked rows)")


def _f(code, ev, message, help="", note="", on_sum=False, extra=()):
    from masklint.analysis.events import Finding

    # where the value meets the mask, and where the code runs float16
    half = ((ev.half[0], ev.half[1], "the code runs in half precision here"),) if ev.half else ()
    if on_sum:  # the sum is what to fix, not either constant: reported where it is written
        return Finding(code, ev.node, ev.module, message, help=help, note=note, written=True, steps=extra + half)
    steps = ((ev.module, ev.node, "written into the mask here"),) if ev.node is not ev.const_node else ()
    steps += half
    node = ev.const_node if ev.const_node is not None else ev.node
    origin = getattr(ev.const, "origin", None)
    if origin is not None and origin[0] is ev.module:
        node = origin[1]  # the constant itself (e.g. MASK_FILL = -1e9 at module level)
    return Finding(code, node, ev.module, message, help=help, note=note, written=True, steps=steps)
