"""Fermentation forecaster for a craft brewery: predicts the next hours of specific gravity and
temperature from the tilt-hydrometer log of a batch."""
from .config import FermentConfig
from .model import FermentForecaster
