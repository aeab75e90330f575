from dataclasses import dataclass, field


@dataclass
class FormulaConfig:
    n_materials: int = 1500        # naturals, aroma chemicals, bases
    dosage_bins: int = 40          # log-spaced parts per thousand
    dim: int = 64
    heads: int = 4
    layers: int = 3
    dropout: float = 0.1
    max_lines: int = 64
    special: dict = field(default_factory=lambda: {"pad": 0, "bos": 1, "eos": 2})
