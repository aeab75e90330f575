"""Language model over railway interlocking event logs."""
from .config import RailConfig
from .model import InterlockingLM

__all__ = ["RailConfig", "InterlockingLM"]
