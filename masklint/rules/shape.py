from masklint.rules.base import Rule


class MaskRank(Rule):
    code = "ML301"
    name = "mask-rank"
    summary = "a mask of a rank or layout the API rejects or misreads"


class HeadRepeatOrder(Rule):
    code = "ML302"
    name = "head-repeat-order"
    summary = "mask.repeat(num_heads, 1, 1) where repeat_interleave(num_heads, dim=0) is needed"


class MaskSizedFromBatch(Rule):
    code = "ML303"
    name = "mask-sized-from-batch"
    summary = "a causal mask sized from the batch dimension instead of the sequence dimension"


class PaddingMaskLayout(Rule):
    code = "ML304"
    name = "padding-mask-layout"
    summary = "a key padding mask laid out (S, N) for an API that wants (N, S)"
