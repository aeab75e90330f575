import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
from keras import layers, ops


class QuestionContextBlock(layers.Layer):
    """Question tokens read the passage through cross-attention."""

    def __init__(self, dim, heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn = keras.Sequential([layers.Dense(2 * dim, activation="gelu"), layers.Dense(dim)])
        self.norms = [layers.LayerNormalization(epsilon=1e-6) for _ in range(3)]

    def call(self, question, passage, question_mask, passage_pad):
        q_keep = question_mask[:, None, :]
        h = self.norms[0](question + self.self_attn(question, question, attention_mask=q_keep))
        h = self.norms[1](h + self.cross_attn(h, passage, attention_mask=passage_pad[:, None, :]))  # expect: ML102
        return self.norms[2](h + self.ffn(h))


class DocQA(keras.Model):
    def __init__(self, vocab=4000, dim=32, heads=4, depth=2, max_len=64, pad_id=0, **kwargs):
        super().__init__(**kwargs)
        self.pad_id = pad_id
        self.embed = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(max_len, dim)
        self.blocks = [QuestionContextBlock(dim, heads) for _ in range(depth)]
        self.answer_type = layers.Dense(3)

    def embed_tokens(self, ids):
        return self.embed(ids) + self.pos(ops.arange(ops.shape(ids)[1]))

    def call(self, inputs):
        question_ids, passage_ids = inputs
        question_mask = ops.not_equal(question_ids, self.pad_id)
        passage_pad = ops.equal(passage_ids, self.pad_id)
        q = self.embed_tokens(question_ids)
        p = self.embed_tokens(passage_ids)
        for block in self.blocks:
            q = block(q, p, question_mask, passage_pad)
        return self.answer_type(q[:, 0])


if __name__ == "__main__":
    import numpy as np

    model = DocQA()
    qs = np.random.randint(1, 4000, (3, 12))
    ps = np.random.randint(1, 4000, (3, 50))
    ps[0, 30:] = 0
    print(model((qs, ps)).shape)
