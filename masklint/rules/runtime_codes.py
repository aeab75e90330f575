"""Runtime-only codes: reported by ``masklint.instrument()``, never by the static linter."""
from masklint.rules.base import Rule


class _RuntimeRule(Rule):
    runtime_only = True
    confirmed_by = "check"


class NoAttendableKey(_RuntimeRule):
    code = "ML601"
    name = "no-attendable-key"
    summary = "a query has no key it may attend to after all masks are merged (NaN or zero rows)"


class FullyPaddedSequence(_RuntimeRule):
    code = "ML602"
    name = "fully-padded-sequence"
    summary = "a key padding mask pads a whole sequence, or pads a prefix of every row"


class MaskDeviceMismatch(_RuntimeRule):
    code = "ML603"
    name = "mask-device-mismatch"
    summary = "the mask and the query are on different devices"


class MaskDtypeMismatch(_RuntimeRule):
    code = "ML604"
    name = "mask-dtype-mismatch"
    summary = "a float mask whose dtype differs from the query's (SDPA rejects it; MHA casts it)"


class FloatMaskReadAsBool(_RuntimeRule):
    code = "ML605"
    name = "float-mask-read-as-bool"
    summary = "a float bias mask (ALiBi, ...) that the encoder eval fast path reads as bool (nonzero = blocked)"
