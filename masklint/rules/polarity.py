from masklint import conventions as C
from masklint.analysis.values import Region
from masklint.rules._common import (
    SHORT,
    blocked_set,
    picture,
    corroborated,
    describe,
    encoding,
    invert_fix,
    finding,
    param_phrase,
    reads,
    wrong_slot,
)
from masklint.rules.base import Rule

_INVERTED = {
    # blocked region -> what that means, for a causal/general attention mask
    Region.LOWER: "hides the past and the diagonal and lets every query see the future",
    Region.SUB: "hides only the past: every query sees itself and the future",
    Region.REAL: "hides the real tokens and attends to the padding",
    Region.ALL: "hides every position (NaN or zero outputs)",
    Region.NEAR: "hides the local window and attends only to distant tokens",
    Region.KEEP_MIX: "hides the positions that should be attended and attends where it should not",
    Region.SAME: "hides each query's own group, itself included, and attends only across groups",
}


def polarity_problem(event, param, arg):
    """(blocked region, phrase) when a mask's polarity is inverted for this parameter."""
    m = arg.value
    if not corroborated(m, param) or wrong_slot(event, param, m):
        return None
    blocked = blocked_set(param, m)
    if param.role is C.Role.KEY_PADDING:
        bad = blocked in (Region.REAL, Region.ALL, Region.KEEP_MIX)
    else:
        bad = blocked in (Region.LOWER, Region.SUB, Region.REAL, Region.ALL, Region.NEAR, Region.KEEP_MIX, Region.SAME)
    if not bad:
        return None
    if blocked is Region.ALL and not (m.evidence and len(m.evidence) >= 1):
        return None
    return blocked, _INVERTED[blocked]


def _fix_hint(event, param, m):
    if event.api.stack is C.Stack.MASK_BUILDER:  # a mask_mod: a function returning the mask
        return "flip the comparison the mask_mod returns (causal: `q_idx >= kv_idx`)"
    if param.polarity is C.Polarity.BLOCK:
        if m.is_causal_shaped():
            return "use `~mask`, or build it with torch.triu(..., diagonal=1)"
        return "invert it: `~mask`, or `attention_mask == 0` for a tokenizer mask"
    if m.is_causal_shaped():
        return "invert it (`~mask`), build it with torch.tril(...), or pass is_causal=True instead"
    return "invert it: `~mask`"


class _BoolPolarityRule(Rule):
    """A bool (or int) mask whose True means the opposite of what the parameter reads."""

    polarity: C.Polarity  # the parameter polarity this rule watches
    encodings: tuple = ()
    mask_kind = ""  # what the mask is, seen from that parameter

    def on_sink(self, event):
        for param, arg in event.masks():
            if param.polarity is not self.polarity or encoding(param, arg.value) not in self.encodings:
                continue
            prob = polarity_problem(event, param, arg)
            if prob:
                m = arg.value
                yield finding(
                    self.code,
                    event,
                    arg.node,
                    f"{self.mask_kind} mask {describe(event, arg)} (True {SHORT[m.true_set()]}) passed as "
                    f"{param_phrase(event.api, param)} {reads(param, event.api)}",
                    m,
                    fix=invert_fix(event, arg),
                    help=_fix_hint(event, param, m),
                    note=f"as passed, it {prob[1]}",
                    picture=picture(event, param, m),
                )


class KeepMaskToBlockApi(_BoolPolarityRule):
    """A mask whose True means "attend" is passed where True means "do not attend"."""

    code = "ML101"
    also_confirmed_by = ("ML601", "ML602")
    name = "keep-mask-to-block-api"
    summary = "a KEEP-polarity mask (True = attend) passed to a parameter that blocks where True"
    polarity = C.Polarity.BLOCK
    encodings = ("bool", "int")
    mask_kind = "keep"


class BlockMaskToKeepApi(_BoolPolarityRule):
    """A mask whose True means "do not attend" is passed where True means "attend"."""

    code = "ML102"
    also_confirmed_by = ("ML601",)
    name = "block-mask-to-keep-api"
    summary = "a BLOCK-polarity mask (True = hidden) passed to SDPA / flex / Keras / Paddle, which attend where True"
    polarity = C.Polarity.KEEP
    encodings = ("bool", "int", "keep01")
    mask_kind = "block"


class InvertedAdditiveMask(Rule):
    """An additive float mask with -inf on the positions that should be attended."""

    code = "ML103"
    also_confirmed_by = ("ML601",)
    name = "inverted-additive-mask"
    summary = "an additive mask puts -inf (or a large negative) on the allowed positions"

    def on_sink(self, event):
        for param, arg in event.masks():
            if encoding(param, arg.value) != "additive":
                continue
            prob = polarity_problem(event, param, arg)
            if prob:
                m = arg.value
                yield finding(
                    self.code,
                    event,
                    arg.node,
                    f"additive mask {describe(event, arg)} puts -inf {SHORT[m.neg_set()]}, passed as "
                    f"{param_phrase(event.api, param)}",
                    m,
                    help="put -inf where attention is NOT allowed: `(1.0 - mask) * torch.finfo(dtype).min`, "
                         "or torch.triu(torch.full((L, L), float('-inf')), diagonal=1)",
                    note=f"as passed, it {prob[1]}",
                    picture=picture(event, param, m),
                )
