from .encoder import TrackClassifier
