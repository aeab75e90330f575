"""A Keras layer's call() runs when the layer is called: its mask comes from the model (tensorflow/text#938, P1-11)."""
import keras
from keras import layers, ops


def create_padding_mask(token_ids, pad_id=0):
    mask = ops.cast(ops.equal(token_ids, pad_id), "float32")
    return mask[:, None, :]


class Block(layers.Layer):
    def __init__(self, dim, heads):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)

    def call(self, x, padding_mask=None):
        return self.att(x, x, attention_mask=padding_mask)


class Classifier(keras.Model):
    def __init__(self, vocab, dim=32, heads=2):
        super().__init__()
        self.emb = layers.Embedding(vocab, dim)
        self.block = Block(dim, heads)

    def call(self, token_ids):
        return self.block(self.emb(token_ids), padding_mask=create_padding_mask(token_ids))  # expect: ML102
