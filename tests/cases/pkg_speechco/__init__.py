from .model import SpeechTransformer

__all__ = ["SpeechTransformer"]
