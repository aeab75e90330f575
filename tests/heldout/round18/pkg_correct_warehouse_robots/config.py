"""Nested dict config merged the way our hydra setup does it (no hydra dependency)."""
import copy

DEFAULTS = {
    "model": {"d_model": 32, "nhead": 4, "layers": 2, "dropout": 0.0},
    "sensing": {"radius_m": 6.0},
    "obs": {"features": 8},   # pose (x, y, yaw sin/cos), speed, payload kg, task id emb (2)
    "act": {"dims": 2},       # linear, angular velocity
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
