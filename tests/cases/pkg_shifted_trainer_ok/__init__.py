"""A chord-progression model whose causal mask hangs on a flag the package's training script
and sampler never set: the evidence that it is autoregressive is in the scripts, not the model."""
