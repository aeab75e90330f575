from keras import ops


def keep_mask(ids):
    return ops.not_equal(ids, 0)


def decoder_self_mask(tar):
    T = ops.shape(tar)[1]
    causal = ops.tril(ops.ones((T, T), dtype="bool"))
    return ops.logical_and(causal[None], keep_mask(tar)[:, None, :])


def cross_mask(tar, inp):
    return ops.logical_and(keep_mask(tar)[:, :, None], keep_mask(inp)[:, None, :])
