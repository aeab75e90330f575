from masklint.rules.base import Rule


class MaskInWrongSlot(Rule):
    code = "ML501"
    name = "mask-in-wrong-slot"
    summary = "a mask lands in a parameter meant for another kind of mask (positional or keyword)"


class MissingMemoryPaddingMask(Rule):
    code = "ML502"
    name = "missing-memory-padding-mask"
    summary = "the encoder input is padding-masked but decoder cross-attention gets no memory_key_padding_mask"


class PaddingMaskWrongSide(Rule):
    code = "ML503"
    name = "padding-mask-wrong-side"
    summary = "a target padding mask given as the source/memory padding mask, or the reverse"
