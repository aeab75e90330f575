from dataclasses import dataclass


@dataclass
class RailConfig:
    # event vocabulary: route set/cancel, point normal/reverse, signal aspect changes,
    # track-circuit occupied/clear, per object id (bucketed)
    vocab_size: int = 512
    pad_id: int = 0
    bos_id: int = 1
    d_model: int = 48
    nhead: int = 4
    num_layers: int = 2
    max_events: int = 256
    dropout: float = 0.1
