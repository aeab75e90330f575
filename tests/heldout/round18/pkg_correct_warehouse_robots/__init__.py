"""Collision-aware speed policy for autonomous mobile robots in a warehouse."""
from .config import load_config
from .model import FleetPolicy

__all__ = ["load_config", "FleetPolicy"]
