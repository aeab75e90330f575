from .encoder import GaitSetTransformer
