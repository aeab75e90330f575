"""Speech-to-text translation (filterbank frames -> target-language subwords) with nn.Transformer."""
