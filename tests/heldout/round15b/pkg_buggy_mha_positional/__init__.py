from .model import ForecastTransformer
