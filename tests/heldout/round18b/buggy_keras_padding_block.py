"""Keras 3 tweet sentiment encoder (mask helper from the TF transformer tutorial)."""
import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, :]


class EncoderBlock(layers.Layer):
    def __init__(self, d_model, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(2 * d_model, activation="gelu"), layers.Dense(d_model)])
        self.ln1 = layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask, training=False):
        attn = self.mha(x, x, attention_mask=mask, training=training)  # BUG: TF-tutorial padding mask (1 = pad) given to Keras MHA, which attends where the mask is 1
        x = self.ln1(x + attn)
        return self.ln2(x + self.ffn(x))


class SentimentModel(keras.Model):
    def __init__(self, vocab=5000, d_model=32, num_heads=4, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab, d_model)
        self.blocks = [EncoderBlock(d_model, num_heads) for _ in range(2)]
        self.cls = layers.Dense(3)

    def call(self, tokens, training=False):
        mask = create_padding_mask(tokens)
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, mask, training=training)
        keep = ops.cast(ops.not_equal(tokens, 0), x.dtype)[..., None]
        return self.cls(ops.sum(x * keep, axis=1) / ops.sum(keep, axis=1))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    tokens = np.random.default_rng(0).integers(1, 5000, size=(3, 12))
    tokens[1, 7:] = 0
    tokens[2, 3:] = 0
    probs = ops.convert_to_numpy(ops.softmax(SentimentModel()(tokens), axis=-1))
    print("probs", np.round(probs, 4).tolist())
