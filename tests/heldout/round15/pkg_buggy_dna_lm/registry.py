BLOCKS = {}


def register_block(name):
    def deco(cls):
        if name in BLOCKS:
            raise KeyError(f"block {name!r} registered twice")
        BLOCKS[name] = cls
        return cls

    return deco


def make_block(name, **kwargs):
    return BLOCKS[name](**kwargs)
