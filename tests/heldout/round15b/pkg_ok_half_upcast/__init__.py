from .model import DualEncoder
