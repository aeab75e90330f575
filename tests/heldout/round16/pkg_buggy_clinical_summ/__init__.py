from .data import NoteBatch, collate_notes
from .model import NoteSummarizer
