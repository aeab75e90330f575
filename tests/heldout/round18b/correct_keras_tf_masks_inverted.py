"""tf.keras dialogue-act tagger built on the TF transformer tutorial mask helpers."""
import tensorflow as tf


def create_padding_mask(seq):
    return tf.cast(tf.math.equal(seq, 0), tf.float32)[:, tf.newaxis, :]


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class UtteranceEncoder(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, padding_mask):
        attend = 1.0 - padding_mask
        return self.norm(x + self.mha(query=x, value=x, attention_mask=attend))


class DialogueContext(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, turns, turn_padding):
        n = tf.shape(turns)[1]
        blocked = tf.maximum(create_look_ahead_mask(n)[tf.newaxis], turn_padding)
        return self.norm(turns + self.mha(turns, turns, attention_mask=tf.logical_not(tf.cast(blocked, tf.bool))))


class DialogueActTagger(tf.keras.Model):
    def __init__(self, vocab=6000, d_model=64, num_heads=4, n_acts=12):
        super().__init__()
        self.emb = tf.keras.layers.Embedding(vocab, d_model)
        self.utt = UtteranceEncoder(d_model, num_heads)
        self.ctx = DialogueContext(d_model, num_heads)
        self.out = tf.keras.layers.Dense(n_acts)

    def call(self, dialogue):
        b, t, w = tf.shape(dialogue)[0], tf.shape(dialogue)[1], tf.shape(dialogue)[2]
        words = tf.reshape(dialogue, (b * t, w))
        h = self.utt(self.emb(words), create_padding_mask(words))
        keep = tf.cast(tf.not_equal(words, 0), h.dtype)[..., tf.newaxis]
        turns = tf.reduce_sum(h * keep, 1) / tf.maximum(tf.reduce_sum(keep, 1), 1.0)
        turns = tf.reshape(turns, (b, t, -1))
        turn_pad = create_padding_mask(tf.reduce_max(dialogue, axis=-1))
        return self.out(self.ctx(turns, turn_pad))


if __name__ == "__main__":
    dialogue = tf.constant([[[12, 7, 3, 0], [88, 2, 0, 0], [0, 0, 0, 0]], [[5, 6, 7, 8], [41, 0, 0, 0], [9, 10, 0, 0]]])
    print(DialogueActTagger()(dialogue).shape)
