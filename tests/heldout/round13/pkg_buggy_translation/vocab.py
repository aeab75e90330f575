PAD, BOS, EOS, UNK = 0, 1, 2, 3
MAX_LEN = 32  # both sides are padded to the same width for static shapes
