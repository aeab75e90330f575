"""Transformer world model for model-based RL (IRIS-like): predicts next latent token,
reward and termination from a history of observation/action tokens."""
