"""Code-to-docstring model."""
import keras
from keras import layers, ops

from .layers import CodeEncoderBlock, DocDecoderBlock
from .masks import causal_block, token_keep


class Code2Doc(keras.Model):
    def __init__(self, code_vocab=5000, doc_vocab=3000, dim=64, heads=4, ff=128, **kw):
        super().__init__(**kw)
        self.code_emb = layers.Embedding(code_vocab, dim)
        self.doc_emb = layers.Embedding(doc_vocab, dim)
        self.code_pos = layers.Embedding(256, dim)
        self.doc_pos = layers.Embedding(64, dim)
        self.encoder = CodeEncoderBlock(dim, heads, ff)
        self.decoder = DocDecoderBlock(dim, heads, ff)
        self.out = layers.Dense(doc_vocab)

    def call(self, inputs):
        code, doc = inputs
        n_code, n_doc = ops.shape(code)[1], ops.shape(doc)[1]
        c = self.code_emb(code) + self.code_pos(ops.arange(n_code))
        code_keep = token_keep(code)
        memory = self.encoder(c, code_keep)
        d = self.doc_emb(doc) + self.doc_pos(ops.arange(n_doc))
        doc_keep = token_keep(doc)
        h = self.decoder(d, memory,
                         self_mask=causal_block(n_doc)[None],  # expect: ML102
                         cross_mask=doc_keep)  # expect: ML503
        return self.out(h)


def train(model, code, doc, epochs=1):
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    return model.fit((code, doc[:, :-1]), doc[:, 1:], epochs=epochs, verbose=0)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    code = keras.random.randint((8, 16), 1, 5000)
    doc = keras.random.randint((8, 17), 1, 3000)
    model = Code2Doc()
    train(model, code, doc)
    print(ops.shape(model((code[:2], doc[:2, :-1]))))
