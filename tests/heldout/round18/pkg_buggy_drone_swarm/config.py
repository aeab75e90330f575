"""Nested dict config, merged the way our hydra setup does it (no hydra dependency here)."""
import copy

DEFAULTS = {
    "model": {"d_model": 32, "nhead": 4, "layers": 2, "dropout": 0.0},
    "comm": {"range_m": 40.0},
    "obs": {"features": 9},  # rel. pos (3), velocity (3), battery, formation slot (2)
    "act": {"dims": 3},
}


def _merge(base, over):
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v
    return base


def load_config(overrides=None):
    return _merge(copy.deepcopy(DEFAULTS), overrides or {})
