"""Mountain/valley assignment for origami crease patterns, with sequence packing."""
from .model import CreaseAssigner
from .packing import pack_patterns
