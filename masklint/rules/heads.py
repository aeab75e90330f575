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
            name = describe(event, arg)
            if event.api.applied == "scores":
                why = (f"head mask {name} multiplied into the scores before softmax",
                       "multiply the attention probabilities after softmax",
                       "a head set to 0 attends uniformly to every key instead of being silenced")
            elif isinstance(m, Mask) and Cell.NEG in (m.inside, m.outside):
                why = (f"additive mask {name} multiplied into the attention probabilities as a head mask",
                       "a head mask is 1.0 = keep, 0.0 = silence", "the heads to keep are zeroed")
            elif isinstance(m, Mask) and m.rank in (1, 2):
                why = (f"{m.rank}-D head mask {name} broadcast against the keys of (N, H, L, S) probabilities",
                       "index this layer's row and reshape it to (1, H, 1, 1)",
                       "it scales keys, not heads")
            if why:
                yield finding(self.code, event, arg.node, why[0], m if isinstance(m, Mask) else None,
                              help=why[1], note=why[2])
