"""Portuguese -> English translator in Keras 3 (keras.ops), ported from the TF tutorial."""
