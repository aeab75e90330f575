"""Short-poem generator conditioned on a title (Keras 3 functional model)."""
import keras
from keras import layers, ops

VOCAB, TITLE_LEN, POEM_LEN, DIM = 6000, 8, 24, 64


def padding_mask(ids):
    return ops.equal(ids, 0)[:, None, :]


def look_ahead_mask(n):
    return 1 - ops.tril(ops.ones((n, n)))


def build_poet(heads=4):
    title = keras.Input((TITLE_LEN,), dtype="int32", name="title")
    poem = keras.Input((POEM_LEN,), dtype="int32", name="poem_in")
    t = layers.Embedding(VOCAB, DIM)(title)
    t = layers.LayerNormalization()(t + layers.MultiHeadAttention(heads, DIM // heads)(
        t, t, attention_mask=padding_mask(title)))  # expect: ML102
    p = layers.Embedding(VOCAB, DIM)(poem) + layers.Embedding(POEM_LEN, DIM)(ops.arange(POEM_LEN))
    p = layers.LayerNormalization()(p + layers.MultiHeadAttention(heads, DIM // heads)(
        p, p, attention_mask=look_ahead_mask(POEM_LEN)[None]))  # expect: ML102
    p = layers.LayerNormalization()(p + layers.MultiHeadAttention(heads, DIM // heads)(
        p, t, attention_mask=ops.logical_not(padding_mask(title))))
    logits = layers.Dense(VOCAB)(layers.Dense(2 * DIM, activation="gelu")(p))
    return keras.Model([title, poem], logits)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    poet = build_poet()
    poet.compile(optimizer="adam",
                 loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    titles = keras.random.randint((16, TITLE_LEN), 1, VOCAB)
    poems = keras.random.randint((16, POEM_LEN + 1), 1, VOCAB)
    poet.fit([titles, poems[:, :-1]], poems[:, 1:], epochs=1, verbose=0)
    print(poet.predict([titles[:2], poems[:2, :-1]], verbose=0).shape)
