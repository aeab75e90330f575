"""Nucleotide language model assembled from a block registry and a config dict."""
from .model import GenomicLM, build_from_config

__all__ = ["GenomicLM", "build_from_config"]
