from .model import SoundEventDetector
from .inference import export_half
