from .data import collate
from .model import TimeMajorEncoderClassifier
