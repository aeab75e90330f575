"""Target scoring for queue-scheduled observing nights."""
from .model import QueueScorer
from .utils import padding_mask
