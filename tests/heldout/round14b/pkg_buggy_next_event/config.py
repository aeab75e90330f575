from dataclasses import dataclass, field


@dataclass
class ScorerConfig:
    n_events: int = 1024
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_len: int = 64
    dropout: float = 0.1
    causal: bool = True
    pad_id: int = 0
    event_groups: dict = field(default_factory=lambda: {"view": 0, "cart": 1, "buy": 2})

    @classmethod
    def from_dict(cls, d):
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)
