"""Sparse mixture-of-experts code model: expert-choice routing + causal SDPA attention."""
