"""Tiny attribute-access config, in the spirit of an OmegaConf DictConfig."""

DEFAULTS = {
    "model": {"dim": 64, "heads": 4, "layers": 3, "dropout": 0.1, "batch_first": False},
    "data": {"n_groups": 48, "intensity_bins": 101, "fade_bins": 64, "max_cues": 400},
}


class Node(dict):
    __getattr__ = dict.__getitem__

    @classmethod
    def wrap(cls, d):
        return cls({k: cls.wrap(v) if isinstance(v, dict) else v for k, v in d.items()})


def load_config(overrides=None):
    cfg = {k: dict(v) for k, v in DEFAULTS.items()}
    for dotted, value in (overrides or {}).items():
        section, key = dotted.split(".")
        cfg[section][key] = value
    return Node.wrap(cfg)
