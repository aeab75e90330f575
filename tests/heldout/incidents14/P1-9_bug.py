import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    # add extra dimensions to add the padding to the attention logits.
    return seq[:, None, :]  # (batch_size, 1, seq_len)


def create_look_ahead_mask(size):
    mask = 1 - ops.tril(ops.ones((size, size)))  # BUG
    return mask  # (seq_len, seq_len)


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([
        layers.Dense(dff, activation="relu"),  # (batch_size, seq_len, dff)
        layers.Dense(d_model),  # (batch_size, seq_len, d_model)
    ])


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, x, look_ahead_mask, training=False):
        attn1, attn_weights_block1 = self.mha1(
            x, x, x, attention_mask=look_ahead_mask, return_attention_scores=True, training=training)
        attn1 = self.dropout1(attn1, training=training)
        out1 = self.layernorm1(attn1 + x)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        out2 = self.layernorm2(ffn_output + out1)
        return out2, attn_weights_block1


class Decoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, target_vocab_size, rate=0.1):
        super().__init__()
        self.d_model = d_model
        self.num_layers = num_layers
        self.embedding = layers.Embedding(target_vocab_size, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = layers.Dropout(rate)

    def call(self, x, look_ahead_mask, training=False):
        attention_weights = {}
        x = self.embedding(x)  # (batch_size, target_seq_len, d_model)
        x *= ops.sqrt(ops.cast(self.d_model, "float32"))
        x = self.dropout(x, training=training)
        for i in range(self.num_layers):
            x, block1 = self.dec_layers[i](x, look_ahead_mask, training=training)
            attention_weights[f"decoder_layer{i+1}_block1"] = block1
        return x, attention_weights


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    decoder = Decoder(num_layers=1, d_model=8, num_heads=2, dff=16, target_vocab_size=20)
    tar = np.array([[5, 3, 9, 4, 7, 2]])
    look_ahead_mask = create_look_ahead_mask(tar.shape[1])
    out_a, _ = decoder(tar, look_ahead_mask)
    tar_b = tar.copy()
    tar_b[:, 3:] = [11, 12, 13]
    out_b, _ = decoder(tar_b, look_ahead_mask)
    leak = np.abs(ops.convert_to_numpy(out_a - out_b))[:, :3].max()
    print(f"future leak into positions 0-2: {leak:.4f}")
