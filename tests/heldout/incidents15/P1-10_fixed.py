import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    # add extra dimensions to add the padding to the attention logits.
    return seq[:, None, :]  # (batch_size, 1, seq_len)


def create_look_ahead_mask(size):
    return 1 - np.tril(np.ones((size, size), dtype="float32"))


def create_masks(tar):
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask)
    return combined_mask


class Transformer(keras.Model):
    def __init__(self, d_model=16, num_heads=2, vocab=40):
        super().__init__()
        self.embedding = layers.Embedding(vocab, d_model)
        self.self_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = layers.LayerNormalization()
        self.final_layer = layers.Dense(vocab)

    def call(self, tar, training=False):
        combined_mask = create_masks(tar)
        x = self.embedding(tar)
        attn = self.self_attn(x, x, attention_mask=1 - combined_mask, training=training)  # BUG
        return self.final_layer(self.norm(x + attn))


def loss_function(real, pred):
    mask = ops.cast(ops.not_equal(real, 0), "float32")
    loss_ = keras.losses.sparse_categorical_crossentropy(real, pred, from_logits=True)
    return ops.sum(loss_ * mask) / ops.sum(mask)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    transformer = Transformer()
    transformer.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss_function)
    data = np.random.RandomState(0).randint(1, 40, size=(4, 9))
    tar_inp = data[:, :-1]
    logits = ops.convert_to_numpy(transformer(tar_inp))
    changed = tar_inp.copy()
    changed[:, 4:] = (changed[:, 4:] + 5) % 39 + 1
    logits2 = ops.convert_to_numpy(transformer(changed))
    print(f"future-token leak into logits of positions 0-3: {np.abs(logits[:, :4] - logits2[:, :4]).max():.4f}")
