from .model import PointerGeneratorNMT

__all__ = ["PointerGeneratorNMT"]
