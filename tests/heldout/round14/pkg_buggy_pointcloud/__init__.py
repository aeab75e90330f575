"""Local-attention point cloud classifier (kNN neighbourhoods, ModelNet-style)."""
from .model import PointCloudClassifier

__all__ = ["PointCloudClassifier"]
