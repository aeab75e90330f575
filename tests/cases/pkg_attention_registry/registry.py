from torch import nn

_ATTENTION = {}


def register_attention(name):
    def add(cls):
        if name in _ATTENTION:
            raise KeyError(name)
        _ATTENTION[name] = cls
        return cls
    return add


def build_attention(name, dim, heads):
    from . import backends  # noqa: F401  (fills the registry)

    return _ATTENTION[name](dim, heads)
