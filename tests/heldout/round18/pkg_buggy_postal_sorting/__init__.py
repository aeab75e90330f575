"""Next-scan / delivery-ETA model over parcel tracking scans."""
from .model import ScanSequenceModel, predict_next_scans

__all__ = ["ScanSequenceModel", "predict_next_scans"]
