import numpy as np
import torch

from . import TabularPreprocessor, TabularTransformer

rng = np.random.default_rng(0)
X = rng.normal(size=(6, 5))
X[rng.random(X.shape) < 0.3] = np.nan
pre = TabularPreprocessor().fit(X)
x, missing = pre.transform(X)
torch.manual_seed(0)
model = TabularTransformer(n_features=5)
print("pred", model(x, missing).squeeze(-1).tolist())
