from masklint import conventions as C
from masklint.analysis.values import Cell, Mask
from masklint.rules._common import describe, finding
from masklint.rules.base import Rule


class HeadMaskMisuse(Rule):
    code = "ML206"
    name = "head-mask-misuse"
    confirmed_by = ""
    summary = "a head_mask applied before softmax, additive, or broadcast against the keys"

    def on_sink(self, event):
        for param, arg in ((p, event.arg(p.name)) for p in event.api.params if p.role is C.Role.HEAD):
            if arg is None:
                continue
            m = arg.value
            why = None
            if event.api.applied == "scores":
                why = ("multiplied into the attention scores before softmax: a head set to 0 then attends "
                       "uniformly to every key instead of being silenced; multiply the probabilities after "
                       "softmax")
            elif isinstance(m, Mask) and Cell.NEG in (m.inside, m.outside):
                why = ("an additive (0 / large negative) mask multiplied into the attention probabilities: "
                       "the heads to keep are zeroed; a head mask is 1.0 = keep, 0.0 = silence")
            elif isinstance(m, Mask) and m.rank in (1, 2):
                why = (f"a {m.rank}-D head mask multiplied into (N, H, L, S) probabilities: it broadcasts "
                       "against the key axis, not the heads; index this layer's row and reshape it to "
                       "(1, H, 1, 1)")
            if why:
                yield finding(self.code, event, arg.node, f"{describe(event, arg)} is {why}",
                              m if isinstance(m, Mask) else None)
