"""SQL encoder + English decoder."""
import keras
from keras import layers, ops

from .masks import cross_mask, decoder_self_mask, padding_mask, to_keras


class Sql2Text(keras.Model):
    def __init__(self, sql_vocab=3000, en_vocab=5000, dim=64, heads=4, **kw):
        super().__init__(**kw)
        self.sql_emb = layers.Embedding(sql_vocab, dim)
        self.en_emb = layers.Embedding(en_vocab, dim)
        self.sql_pos = layers.Embedding(128, dim)
        self.en_pos = layers.Embedding(128, dim)
        self.enc_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.dec_self = layers.MultiHeadAttention(heads, dim // heads)
        self.dec_cross = layers.MultiHeadAttention(heads, dim // heads)
        self.norms = [layers.LayerNormalization() for _ in range(3)]
        self.out = layers.Dense(en_vocab)

    def call(self, inputs):
        sql, en = inputs
        s = self.sql_emb(sql) + self.sql_pos(ops.arange(ops.shape(sql)[1]))
        memory = self.norms[0](s + self.enc_attn(s, s, attention_mask=to_keras(padding_mask(sql))))
        e = self.en_emb(en) + self.en_pos(ops.arange(ops.shape(en)[1]))
        e = self.norms[1](e + self.dec_self(e, e, attention_mask=decoder_self_mask(en)))
        e = self.norms[2](e + self.dec_cross(e, memory, attention_mask=cross_mask(sql, ops.shape(en)[1])))
        return self.out(e)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    sql = ops.convert_to_tensor([[5, 17, 99, 4, 250, 0, 0], [5, 18, 18, 301, 4, 7, 9]])
    en = ops.convert_to_tensor([[1, 40, 41, 42, 2, 0], [1, 77, 78, 2, 0, 0]])
    print(ops.argmax(Sql2Text()((sql, en)), axis=-1))
