from masklint.rules.base import Rule


class MissingCausalMask(Rule):
    code = "ML401"
    name = "missing-causal-mask"
    summary = "an autoregressive model's self-attention runs without a causal mask or is_causal"


class CausalHintMismatch(Rule):
    code = "ML402"
    name = "causal-hint-mismatch"
    summary = "is_causal=True without a mask on MHA / Transformer* (unmasked in eval), or with a non-causal mask"


class SdpaMaskAndCausal(Rule):
    code = "ML403"
    name = "sdpa-mask-and-causal"
    summary = "scaled_dot_product_attention given both attn_mask and is_causal=True"


class DiagonalMasked(Rule):
    code = "ML404"
    name = "diagonal-masked"
    summary = "a causal mask that also hides the diagonal: the first query sees nothing (NaN)"
