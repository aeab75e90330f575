import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.not_equal(seq, 0), "float32")  # BUG
    # add extra dimensions to add the padding to the attention logits.
    return seq[:, None, :]  # (batch_size, 1, seq_len)


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([
        layers.Dense(dff, activation="relu"),
        layers.Dense(d_model),
    ])


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, x, mask, training=False):
        attn_output, self.last_attention = self.mha(
            x, x, x, attention_mask=mask, return_attention_scores=True, training=training)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(x + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class Encoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, input_vocab_size, rate=0.1):
        super().__init__()
        self.d_model = d_model
        self.num_layers = num_layers
        self.embedding = layers.Embedding(input_vocab_size, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = layers.Dropout(rate)

    def call(self, x, mask, training=False):
        x = self.embedding(x)  # (batch_size, input_seq_len, d_model)
        x *= ops.sqrt(ops.cast(self.d_model, "float32"))
        x = self.dropout(x, training=training)
        for i in range(self.num_layers):
            x = self.enc_layers[i](x, mask, training=training)
        return x  # (batch_size, input_seq_len, d_model)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    encoder = Encoder(num_layers=2, d_model=8, num_heads=2, dff=16, input_vocab_size=20)
    inp = np.array([[5, 3, 9, 4, 0, 0], [7, 2, 6, 1, 8, 0]])
    encoder(inp, create_padding_mask(inp))
    scores = ops.convert_to_numpy(encoder.enc_layers[0].last_attention)
    on_pad = scores[0, :, :4, 4:].sum(-1).max()
    print(f"attention weight from real tokens onto padding: {on_pad:.3f}")
