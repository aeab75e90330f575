"""Model settings, overridable from a JSON experiment file."""
import json


class ChordConfig:
    vocab = 120          # 12 roots x 10 qualities
    dim = 64
    heads = 4
    layers = 3
    context = 64
    dropout = 0.0
    causal = False
    tie_embeddings = True

    @classmethod
    def from_dict(cls, overrides):
        cfg = cls()
        for key, value in overrides.items():
            if not hasattr(cls, key):
                raise KeyError(f"unknown setting {key!r}")
            setattr(cfg, key, value)
        return cfg

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))

    def as_dict(self):
        keys = [k for k in vars(type(self)) if not k.startswith("_") and not callable(getattr(self, k))]
        return {k: getattr(self, k) for k in keys}


QUALITIES = ["maj", "min", "7", "maj7", "min7", "dim", "aug", "sus2", "sus4", "6"]
ROOTS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def chord_id(name):
    root, _, quality = name.partition(":")
    return ROOTS.index(root) * len(QUALITIES) + QUALITIES.index(quality or "maj")
