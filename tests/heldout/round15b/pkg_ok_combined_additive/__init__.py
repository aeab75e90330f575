from .model import EventForecaster
