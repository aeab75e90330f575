"""Keras 3 next-song recommender over listening sessions; padding comes from mask_zero."""
import numpy as np
import keras
from keras import layers, ops


class SessionBlock(layers.Layer):
    def __init__(self, d, heads, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.ff = keras.Sequential([layers.Dense(2 * d, activation="gelu"), layers.Dense(d)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x, mask=None):
        x = self.n1(x + self.attn(x, x, use_causal_mask=True, query_mask=mask, value_mask=mask))
        return self.n2(x + self.ff(x))


def build_model(n_songs=1000, d=32, heads=4, max_len=20):
    songs = keras.Input(shape=(max_len,), dtype="int32")
    x = layers.Embedding(n_songs, d, mask_zero=True)(songs)
    for _ in range(2):
        x = SessionBlock(d, heads)(x)
    logits = layers.Dense(n_songs)(x)
    return keras.Model(songs, logits)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = build_model()
    sessions = np.random.default_rng(0).integers(1, 1000, size=(3, 20))
    sessions[2, 12:] = 0
    a = ops.convert_to_numpy(model(sessions))
    changed = sessions.copy()
    changed[:, 15:] = 7
    b = ops.convert_to_numpy(model(changed))
    real = sessions[:, :15] != 0
    print("causal", bool(np.allclose(a[:, :15][real], b[:, :15][real], atol=1e-4)))
