"""Delivery-run stop sequencing (set of stops in, visiting order out)."""
from .config import RouteConfig
from .model import RoutePlanner

__all__ = ["RouteConfig", "RoutePlanner"]
