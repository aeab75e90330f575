import tensorflow as tf


def create_look_ahead_mask(size):
    """Decoder self-attention mask, passed straight to keras MultiHeadAttention."""
    return tf.linalg.band_part(tf.ones((size, size)), -1, 0)


def create_padding_mask(attention_mask):
    # (batch, seq) with 1 = real token -> (batch, 1, seq)
    return tf.cast(attention_mask, tf.float32)[:, tf.newaxis, :]


class DecoderBlock(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.norm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.drop = tf.keras.layers.Dropout(rate)

    def call(self, x, mask, training=False):
        attn = self.mha(query=x, value=x, key=x, attention_mask=mask, training=training)
        x = self.norm1(x + self.drop(attn, training=training))
        return self.norm2(x + self.drop(self.ffn(x), training=training))


class TinyDecoderLM(tf.keras.Model):
    def __init__(self, vocab_size, d_model=64, num_heads=4, dff=128, num_layers=2, max_len=256):
        super().__init__()
        self.tok_emb = tf.keras.layers.Embedding(vocab_size, d_model)
        self.pos_emb = tf.keras.layers.Embedding(max_len, d_model)
        self.blocks = [DecoderBlock(d_model, num_heads, dff) for _ in range(num_layers)]
        self.lm_head = tf.keras.layers.Dense(vocab_size)

    def call(self, input_ids, attention_mask, training=False):
        seq_len = tf.shape(input_ids)[1]
        x = self.tok_emb(input_ids) + self.pos_emb(tf.range(seq_len))[tf.newaxis]
        look_ahead = create_look_ahead_mask(seq_len)
        mask = look_ahead[tf.newaxis] * create_padding_mask(attention_mask)  # (batch, seq, seq)
        for block in self.blocks:
            x = block(x, mask, training=training)
        return self.lm_head(x)


def train_step(model, optimizer, batch):
    input_ids = batch["input_ids"]
    attention_mask = batch["attention_mask"]
    inputs, targets = input_ids[:, :-1], input_ids[:, 1:]
    target_weights = tf.cast(attention_mask[:, 1:], tf.float32)
    with tf.GradientTape() as tape:
        logits = model(inputs, attention_mask[:, :-1], training=True)
        per_token = tf.keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
        loss = tf.reduce_sum(per_token * target_weights) / tf.reduce_sum(target_weights)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
