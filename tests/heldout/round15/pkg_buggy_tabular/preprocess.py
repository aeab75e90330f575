import numpy as np
import torch


class TabularPreprocessor:
    """Standardises numeric columns and records which cells were missing (NaN)."""

    def fit(self, X: np.ndarray):
        self.mean_ = np.nanmean(X, axis=0)
        self.std_ = np.nanstd(X, axis=0) + 1e-6
        return self

    def transform(self, X: np.ndarray):
        missing = np.isnan(X)
        Z = np.where(missing, 0.0, (X - self.mean_) / self.std_).astype(np.float32)
        return torch.from_numpy(Z), torch.from_numpy(missing)
