"""Mempool model: estimates how many blocks until a pending transaction confirms."""
from .masks import arrival_visibility
from .model import ConfirmationModel
