"""Anomaly scoring for wind-turbine SCADA channels."""
from .model import TurbineAnomalyModel

__all__ = ["TurbineAnomalyModel"]
