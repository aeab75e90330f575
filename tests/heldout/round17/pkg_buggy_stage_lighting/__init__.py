"""Cue-list continuation for theatre lighting desks."""
from .config import load_config
from .model import CueWriter
