from .model import StreamingASR

__all__ = ["StreamingASR"]
