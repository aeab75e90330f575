"""Social attention for multi-robot trajectory forecasting in a warehouse."""
from .model import FleetForecaster

__all__ = ["FleetForecaster"]
