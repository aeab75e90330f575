import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, :]  # (batch_size, 1, seq_len)


def create_look_ahead_mask(size):
    mask = 1 - ops.tril(ops.ones((size, size)))
    return mask  # (seq_len, seq_len)


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask)
    return enc_padding_mask, combined_mask, dec_padding_mask


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model, dropout=rate)
        self.mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm3 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, enc_output, look_ahead_mask, padding_mask, training=False):
        attn1, attn_weights_block1 = self.mha1(
            x, x, x, attention_mask=1 - look_ahead_mask, return_attention_scores=True)  # BUG
        out1 = self.layernorm1(attn1 + x)
        attn2, attn_weights_block2 = self.mha2(
            out1, enc_output, enc_output, attention_mask=1 - padding_mask, return_attention_scores=True)  # BUG
        out2 = self.layernorm2(attn2 + out1)
        out3 = self.layernorm3(self.ffn(out2) + out2)
        return out3, attn_weights_block1, attn_weights_block2


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    layer = DecoderLayer(d_model=8, num_heads=2, dff=16)
    inp = np.array([[4, 6, 8, 2, 0, 0]])
    tar = np.array([[1, 5, 3, 9, 7]])
    enc_output = keras.random.normal((1, 6, 8), seed=1)
    x = keras.random.normal((1, 5, 8), seed=2)
    enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
    _, w_self, w_cross = layer(x, enc_output, combined_mask, dec_padding_mask)
    w_self, w_cross = ops.convert_to_numpy(w_self), ops.convert_to_numpy(w_cross)
    future = (w_self * np.triu(np.ones((5, 5)), 1)).sum(-1).max()
    pads = w_cross[..., 4:].sum(-1).max()
    print(f"self-attn weight on future={future:.3f} cross-attn weight on source pads={pads:.3f}")
