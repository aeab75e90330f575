"""Normalising transcribed herbarium specimen labels into Darwin Core fields."""
from .batching import LabelBatch, make_batch
from .model import LabelNormaliser
