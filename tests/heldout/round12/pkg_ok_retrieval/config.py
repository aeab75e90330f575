from typing import NamedTuple


class TowerConfig(NamedTuple):
    vocab: int = 1000
    dim: int = 32
    heads: int = 4
    depth: int = 2
    max_len: int = 128
    temperature: float = 0.05
