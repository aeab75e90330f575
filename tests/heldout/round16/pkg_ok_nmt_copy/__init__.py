from .model import CopyNMT
