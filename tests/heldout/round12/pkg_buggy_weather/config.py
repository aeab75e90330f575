import enum
from dataclasses import dataclass


class MaskKind(enum.Enum):
    FULL = "full"          # reanalysis: every frame sees every frame
    CAUSAL = "causal"      # operational nowcast: no peeking at later scans
    LOCAL = "local"        # causal, limited to the last `window` scans


@dataclass
class NowcastConfig:
    patch_dim: int = 48          # flattened 4x4 radar patch x 3 channels
    dim: int = 32
    heads: int = 4
    depth: int = 2
    window: int = 6
    mask_kind: MaskKind = MaskKind.CAUSAL
