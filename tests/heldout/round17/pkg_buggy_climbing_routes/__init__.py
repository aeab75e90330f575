"""Grade estimation for set routes on a standardised training board."""
from .model import RouteGrader
