"""Glaze-defect prediction from kiln firing schedules."""
from .data import collate_firings
from .model import FiringOutcomeModel
