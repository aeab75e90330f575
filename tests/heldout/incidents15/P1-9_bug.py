import numpy as np
import keras
from keras import layers, ops


def create_look_ahead_mask(size):
    mask = 1 - np.tril(np.ones((size, size)))
    return mask.astype("float32")  # (seq_len, seq_len)


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.0):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, look_ahead_mask, training=False):
        attn1 = self.mha1(query=x, value=x, key=x, attention_mask=look_ahead_mask, training=training)
        out1 = self.layernorm1(attn1 + x)
        return self.layernorm2(out1 + self.ffn(out1))


class Decoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, target_vocab_size):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(target_vocab_size, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, x, training=False):
        seq_len = ops.shape(x)[1]
        look_ahead_mask = create_look_ahead_mask(seq_len)  # BUG
        x = self.embedding(x) * np.sqrt(self.d_model)
        for layer in self.dec_layers:
            x = layer(x, look_ahead_mask[None, :, :], training=training)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    decoder = Decoder(num_layers=2, d_model=16, num_heads=2, dff=32, target_vocab_size=40)
    tokens = np.random.RandomState(0).randint(1, 40, size=(2, 6))
    out = ops.convert_to_numpy(decoder(tokens))
    changed = tokens.copy()
    changed[:, 3:] = (changed[:, 3:] + 7) % 39 + 1
    out2 = ops.convert_to_numpy(decoder(changed))
    print(f"future-token leak into positions 0-2: {np.abs(out[:, :3] - out2[:, :3]).max():.4f}")
