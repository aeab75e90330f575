from .model import BeatTransformer
