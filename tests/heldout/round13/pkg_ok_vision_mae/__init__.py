"""Masked-autoencoder pretraining for histopathology tiles (variable number of visible patches)."""
