from .layers import StrokeEncoder
