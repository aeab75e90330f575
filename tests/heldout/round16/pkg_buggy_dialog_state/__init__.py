from .data import DialogCollator
from .model import SlotTracker
