from .model import VerseNet
from .train import fit
from .sample import compose

__all__ = ["VerseNet", "fit", "compose"]
