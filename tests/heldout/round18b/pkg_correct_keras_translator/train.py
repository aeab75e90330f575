import numpy as np
import keras
from keras import ops

from .model import G2P


def main():
    keras.utils.set_random_seed(0)
    graphemes = np.array([[3, 8, 8, 12, 15, 0, 0], [7, 1, 20, 4, 9, 11, 2]])
    phonemes = np.array([[1, 14, 22, 30, 2, 0], [1, 5, 19, 33, 41, 2]])
    model = G2P()
    logits = model((graphemes, phonemes[:, :-1]))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(phonemes[:, 1:], logits)
    print("loss", round(float(ops.convert_to_numpy(loss)), 5))


if __name__ == "__main__":
    main()
