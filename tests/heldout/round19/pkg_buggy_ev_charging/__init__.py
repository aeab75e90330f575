"""Fault detection for public EV chargers from their recent charging sessions."""
from .data import SessionDataset, collate_sessions
from .model import ChargerFaultModel

__all__ = ["SessionDataset", "collate_sessions", "ChargerFaultModel"]
