from dataclasses import dataclass


@dataclass
class TranslitConfig:
    src_vocab: int = 64
    tgt_vocab: int = 64
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_len: int = 24          # both sides are padded to this width
    pad_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
    dropout: float = 0.1
