import keras
from keras import layers


class G2PEncoderBlock(layers.Layer):
    def __init__(self, d, heads, **kwargs):
        super().__init__(**kwargs)
        self.attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.ff = keras.Sequential([layers.Dense(2 * d, activation="relu"), layers.Dense(d)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x, self_mask):
        x = self.n1(x + self.attn(x, x, attention_mask=self_mask))
        return self.n2(x + self.ff(x))


class G2PDecoderBlock(layers.Layer):
    def __init__(self, d, heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.ff = keras.Sequential([layers.Dense(2 * d, activation="relu"), layers.Dense(d)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()
        self.n3 = layers.LayerNormalization()

    def call(self, y, memory, self_mask, memory_mask):
        y = self.n1(y + self.self_attn(y, y, attention_mask=self_mask))
        y = self.n2(y + self.cross_attn(y, memory, attention_mask=memory_mask))
        return self.n3(y + self.ff(y))
