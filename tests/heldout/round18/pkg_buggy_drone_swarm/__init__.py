"""Decentralised formation-keeping policy for small drone swarms."""
from .config import load_config
from .model import SwarmPolicy

__all__ = ["load_config", "SwarmPolicy"]
