"""Isolated sign-language recognition from pose+appearance frame tokens."""
from .model import SignRecognizer
