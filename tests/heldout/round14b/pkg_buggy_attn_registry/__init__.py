from .model import ReviewEncoder, EncoderSettings

__all__ = ["ReviewEncoder", "EncoderSettings"]
