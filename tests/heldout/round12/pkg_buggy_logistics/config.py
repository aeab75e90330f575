"""Hyper-parameters for the stop-sequencing model."""
from dataclasses import dataclass


@dataclass(frozen=True)
class RouteConfig:
    n_stop_types: int = 50   # depot, residential, parcel locker, loading dock, ...
    n_slots: int = 40        # output vocabulary: 3 specials + stop index within the run
    d_model: int = 32
    nhead: int = 4
    enc_layers: int = 2
    dec_layers: int = 2
    ff_mult: int = 4
    dropout: float = 0.1
    pad_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
