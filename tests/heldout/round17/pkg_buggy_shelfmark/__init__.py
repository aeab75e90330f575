"""Subject-heading suggestion for library catalogue records."""
from .config import TaggerConfig
from .model import SubjectTagger
from .tokenizer import RecordTokenizer

__all__ = ["TaggerConfig", "SubjectTagger", "RecordTokenizer"]
