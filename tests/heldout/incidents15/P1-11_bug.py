import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, :]  # (batch_size, 1, seq_len)


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask, training=False):
        attn_output = self.mha(x, x, attention_mask=mask, training=training)
        out1 = self.layernorm1(x + attn_output)
        return self.layernorm2(out1 + self.ffn(out1))


class Encoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, input_vocab_size):
        super().__init__()
        self.embedding = layers.Embedding(input_vocab_size, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, inp, training=False):
        enc_padding_mask = create_padding_mask(inp)  # BUG
        x = self.embedding(inp)
        for layer in self.enc_layers:
            x = layer(x, enc_padding_mask, training=training)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    encoder = Encoder(num_layers=2, d_model=16, num_heads=2, dff=32, input_vocab_size=30)
    inp = np.array([[5, 6, 7, 8, 0, 0], [9, 4, 3, 2, 1, 0]])
    out = ops.convert_to_numpy(encoder(inp))
    inp2 = inp.copy()
    inp2[0, 4:] = 0
    emb_pad = encoder.embedding.embeddings
    encoder.embedding.embeddings.assign(ops.concatenate([emb_pad[:1] + 3.0, emb_pad[1:]], axis=0))
    out2 = ops.convert_to_numpy(encoder(inp2))
    print(f"real tokens change when pad embedding changes: {np.abs(out[0, :4] - out2[0, :4]).max():.4f}")
