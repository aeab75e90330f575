"""Visual speech recognition: lip-region frame features -> characters."""
from .collate import LipBatch, collate
from .model import LipReader
