import numpy as np

from .layers import PoemLM
from .masks import create_decoder_mask

if __name__ == "__main__":
    toks = np.random.randint(1, 2000, (4, 21))
    inp = toks[:, :-1]
    print(PoemLM()(inp, create_decoder_mask(inp)).shape)
