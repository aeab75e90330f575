from .model import CachedGPT
