import torch

from . import NextEventScorer, ScorerConfig
from .serve import score_sessions

if __name__ == "__main__":
    torch.manual_seed(0)
    model = NextEventScorer(ScorerConfig.from_dict({"n_layers": 2, "d_model": 64}))
    sessions = [[5, 9, 14, 14, 30], [7, 8], [101, 102, 103, 104, 105, 106, 107]]
    print("top-5 next events:", score_sessions(model, sessions))
