import torch
import torch.nn as nn

from .mask_cache import StepMaskCache, history_padding


class LoadForecaster(nn.Module):
    def __init__(self, n_features=4, d_model=32, nhead=4, num_layers=2, max_steps=96):
        super().__init__()
        self.masks = StepMaskCache(max_steps)
        self.inp = nn.Linear(n_features, d_model)
        self.step_emb = nn.Embedding(max_steps, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 1)

    def forward(self, series, n_valid):
        B, T, _ = series.shape
        steps = self.step_emb(torch.arange(T, device=series.device))
        x = self.inp(series) + steps
        pad = history_padding(n_valid, T, series.device)
        h = self.encoder(x, mask=self.masks(T, series.device), src_key_padding_mask=pad)  # BUG: cached mask is fill_(True).tril_() (keep); the encoder blocks True
        return self.head(h).squeeze(-1)
