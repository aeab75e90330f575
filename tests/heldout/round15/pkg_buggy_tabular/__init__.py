"""Feature-token transformer for tabular data with missing values (FT-Transformer-like)."""
from .model import TabularTransformer
from .preprocess import TabularPreprocessor
