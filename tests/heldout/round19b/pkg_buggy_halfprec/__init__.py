"""Retrieval reader: question tokens attend to themselves and to a passage."""
from .model import Reader
from .infer import load_for_inference, answer_spans

__all__ = ["Reader", "load_for_inference", "answer_spans"]
