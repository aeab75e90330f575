from masklint.rules.base import Rule


class FloatKeyPaddingMask(Rule):
    code = "ML201"
    name = "float-key-padding-mask"
    summary = "a 0/1 float key padding mask: masks nothing on the slow path, reads as bool on the fast path"


class BinaryFloatMask(Rule):
    code = "ML202"
    name = "binary-float-mask"
    summary = "a 0/1 float mask used as an additive attention mask (it adds +1, masking nothing)"


class IntegerMask(Rule):
    code = "ML203"
    name = "integer-mask"
    summary = "an int / long / uint8 mask passed to torch attention"


class MixedMaskKinds(Rule):
    code = "ML204"
    name = "mixed-mask-kinds"
    severity = "warning"
    default = False
    summary = "bool and float masks in one call (deprecated, computed correctly)"


class FiniteMaskOverflow(Rule):
    code = "ML205"
    name = "finite-mask-overflow"
    severity = "warning"
    summary = "a large finite negative mask value that overflows or NaNs in half precision"
