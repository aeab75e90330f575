"""Keras 3 image-caption decoder: captions cross-attend to a variable number of detected objects."""
import numpy as np
import keras
from keras import layers, ops


class CaptionBlock(layers.Layer):
    def __init__(self, d_model, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(2 * d_model, activation="relu"), layers.Dense(d_model)])
        self.n1, self.n2, self.n3 = layers.LayerNormalization(), layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, x, objects, word_keep, object_keep):
        T = ops.shape(x)[1]
        causal = ops.tril(ops.ones((T, T), dtype="bool"))
        self_mask = ops.logical_and(causal[None], word_keep[:, None, :])
        x = self.n1(x + self.self_attn(x, x, attention_mask=self_mask))
        x = self.n2(x + self.cross_attn(x, objects, attention_mask=object_keep[:, None, :]))
        return self.n3(x + self.ffn(x))


class Captioner(keras.Model):
    def __init__(self, vocab=300, d_model=32, num_heads=4, **kwargs):
        super().__init__(**kwargs)
        self.obj_proj = layers.Dense(d_model)
        self.word_emb = layers.Embedding(vocab, d_model)
        self.blocks = [CaptionBlock(d_model, num_heads) for _ in range(2)]
        self.head = layers.Dense(vocab)

    def call(self, inputs):
        objects, n_objects, words = inputs
        object_keep = ops.arange(ops.shape(objects)[1])[None, :] < n_objects[:, None]
        word_keep = ops.not_equal(words, 0)
        mem = self.obj_proj(objects)
        x = self.word_emb(words)
        for blk in self.blocks:
            x = blk(x, mem, word_keep, object_keep)
        return self.head(x)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    objects = rng.normal(size=(2, 5, 16)).astype("float32")
    n_objects = np.array([5, 2])
    words = np.array([[1, 17, 42, 8, 2, 0], [1, 99, 3, 250, 61, 2]])
    model = Captioner()
    out = ops.convert_to_numpy(model((objects, n_objects, words)))
    objects2 = objects.copy()
    objects2[1, 2:] = 100.0
    out2 = ops.convert_to_numpy(model((objects2, n_objects, words)))
    print("logits", out.shape, "padding-invariant", bool(np.allclose(out, out2, atol=1e-4)))
