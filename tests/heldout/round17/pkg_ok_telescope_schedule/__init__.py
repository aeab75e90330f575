"""Target scoring for queue-scheduled observing nights."""
from .model import QueueScorer
from .utils import candidate_mask
