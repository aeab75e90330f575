from dataclasses import dataclass


@dataclass
class TramConfig:
    # events: arrive/depart per stop id, door open/close, priority-signal request, (bucketed)
    vocab_size: int = 600
    pad_id: int = 0
    bos_id: int = 1
    d_model: int = 48
    nhead: int = 4
    num_layers: int = 2
    max_events: int = 256
    dropout: float = 0.1
