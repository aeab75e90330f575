"""Language model over tram-network stop events (passenger-information predictions)."""
from .config import TramConfig
from .model import StopEventLM

__all__ = ["TramConfig", "StopEventLM"]
