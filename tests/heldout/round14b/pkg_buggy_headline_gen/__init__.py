"""Headline generation: annotated-transformer style encoder-decoder, trained with mixed precision."""
