"""Thermal-entry detector for paraglider flight logs (IGC + variometer)."""
from .blocks import ThermalDetector
from .config import FlightConfig

__all__ = ["FlightConfig", "ThermalDetector"]
