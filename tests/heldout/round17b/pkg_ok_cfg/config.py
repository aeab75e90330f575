"""Experiment configuration with defaults and command-line style overrides."""
from dataclasses import dataclass, field, replace


@dataclass
class TuneConfig:
    vocab: int = 180
    dim: int = 64
    heads: int = 4
    layers: int = 2
    context: int = 128
    dropout: float = 0.1
    causal: bool = True
    bidirectional_prefix: int = 0
    tags: list = field(default_factory=lambda: ["reel", "jig", "hornpipe"])

    def override(self, **kw):
        return replace(self, **kw)


def parse_overrides(argv):
    out = {}
    for item in argv:
        key, _, value = item.partition("=")
        if value.isdigit():
            out[key] = int(value)
        elif value in ("true", "false"):
            out[key] = value == "true"
        else:
            out[key] = float(value)
    return out


def load(argv=()):
    return TuneConfig().override(**parse_overrides(argv))
