"""Streaming speaker-change detection on log-mel frames (chunked attention)."""
from .model import TurnDetector

__all__ = ["TurnDetector"]
