import numpy as np
import keras
from keras import ops

from .model import Translator


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    pt = rng.integers(1, 500, size=(2, 9))
    pt[1, 6:] = 0
    en = rng.integers(1, 500, size=(2, 8))
    en[0, 6:] = 0
    model = Translator()
    logits = model((pt, en[:, :-1]))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(en[:, 1:], logits)
    print("loss", round(float(ops.convert_to_numpy(loss)), 5))


if __name__ == "__main__":
    main()
