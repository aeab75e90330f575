"""Next-zone prediction for ride-hailing drivers: continues each driver's trip chain (zone tokens)."""
from .cache import LayerCache
from .model import ZoneLM
from .generate import rollout
