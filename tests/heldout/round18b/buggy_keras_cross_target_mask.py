"""Keras 3 speech-to-text decoder (backend-agnostic keras.ops) over precomputed audio frames."""
import numpy as np
import keras
from keras import layers, ops


class AudioTextDecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, ff_dim, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization()
        self.norm2 = layers.LayerNormalization()
        self.norm3 = layers.LayerNormalization()

    def call(self, x, frames, text_mask, frame_mask):
        T = ops.shape(x)[1]
        causal = ops.tril(ops.ones((T, T), dtype="bool"))
        combined = ops.logical_and(causal[None, :, :], text_mask[:, None, :])
        h = self.self_attn(query=x, value=x, key=x, attention_mask=combined)
        x = self.norm1(x + h)
        h = self.cross_attn(query=x, value=frames, key=frames, attention_mask=combined)  # BUG: cross-attention given the text's causal+padding mask instead of the audio frame padding mask
        x = self.norm2(x + h)
        return self.norm3(x + self.ffn(x))


class SpeechToText(keras.Model):
    def __init__(self, vocab=60, d_model=32, num_heads=4, ff_dim=64, n_layers=2, **kwargs):
        super().__init__(**kwargs)
        self.frame_proj = layers.Dense(d_model)
        self.embed = layers.Embedding(vocab, d_model)
        self.dec_layers = [AudioTextDecoderLayer(d_model, num_heads, ff_dim) for _ in range(n_layers)]
        self.out = layers.Dense(vocab)

    def call(self, inputs):
        frames, frame_mask, tokens = inputs
        text_mask = ops.not_equal(tokens, 0)
        x = self.embed(tokens)
        mem = self.frame_proj(frames)
        for layer in self.dec_layers:
            x = layer(x, mem, text_mask, frame_mask)
        return self.out(x)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    frames = rng.normal(size=(2, 10, 24)).astype("float32")
    frame_mask = np.ones((2, 10), dtype=bool)
    frame_mask[1, 6:] = False
    tokens = rng.integers(1, 60, size=(2, 10))
    tokens[0, 8:] = 0
    model = SpeechToText()
    logits = ops.convert_to_numpy(model((frames, frame_mask, tokens)))
    print("logits", round(float(np.abs(logits).mean()), 5))
