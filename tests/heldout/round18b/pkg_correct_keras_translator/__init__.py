"""Keras 3 grapheme-to-phoneme converter (encoder-decoder)."""
