import os

os.environ.setdefault("KERAS_BACKEND", "torch")

from keras import ops


def create_padding_mask(seq):
    return ops.cast(ops.equal(seq, 0), "float32")[:, None, :]


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))


def create_decoder_mask(tar):
    look_ahead = create_look_ahead_mask(ops.shape(tar)[1])
    return ops.maximum(create_padding_mask(tar), look_ahead[None])
