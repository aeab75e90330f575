from masklint.rules.base import Rule


class KeepMaskToBlockApi(Rule):
    """A mask whose True means "attend" is passed where True means "do not attend"."""

    code = "ML101"
    name = "keep-mask-to-block-api"
    summary = "a KEEP-polarity mask (True = attend) passed to a parameter that blocks where True"


class BlockMaskToKeepApi(Rule):
    """A mask whose True means "do not attend" is passed where True means "attend"."""

    code = "ML102"
    name = "block-mask-to-keep-api"
    summary = "a BLOCK-polarity mask (True = hidden) passed to SDPA / flex / Keras, which attend where True"


class InvertedAdditiveMask(Rule):
    """An additive float mask with -inf on the positions that should be attended."""

    code = "ML103"
    name = "inverted-additive-mask"
    summary = "an additive mask puts -inf (or a large negative) on the allowed positions"
