"""Next-step model for interoffice mailroom routing scans."""
from .model import RoutingScanModel, predict_next_steps

__all__ = ["RoutingScanModel", "predict_next_steps"]
