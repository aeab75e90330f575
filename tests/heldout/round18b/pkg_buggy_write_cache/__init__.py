"""Decoder-only load forecaster for substation telemetry."""
from .forecaster import LoadForecaster

__all__ = ["LoadForecaster"]
