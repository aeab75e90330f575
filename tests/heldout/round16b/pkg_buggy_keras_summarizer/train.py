import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras

from .layers import HeadlineGenerator
from .masks import create_decoder_mask


def lm_loss(model, tokens):
    inp, tar = tokens[:, :-1], tokens[:, 1:]
    logits = model(inp, create_decoder_mask(inp), training=True)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return loss_fn(tar, logits, sample_weight=(tar != 0).astype("float32"))


if __name__ == "__main__":
    toks = np.random.randint(1, 2000, (4, 21))
    toks[2:, 15:] = 0
    print(float(lm_loss(HeadlineGenerator(), toks)))
