from .data import IntentDataset, collate_batch
from .model import IntentClassifier
from .trainer import evaluate, train_epoch

__all__ = ["IntentDataset", "collate_batch", "IntentClassifier", "train_epoch", "evaluate"]
