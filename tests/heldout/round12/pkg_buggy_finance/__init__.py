"""Next-event model for limit-order-book message streams."""
from .model import OrderFlowModel

__all__ = ["OrderFlowModel"]
