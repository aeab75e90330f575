from .config import ModelConfig
from .blocks import Block
from .model import Storyteller

__all__ = ["ModelConfig", "Block", "Storyteller"]
