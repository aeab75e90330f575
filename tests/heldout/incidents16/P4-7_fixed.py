"""Streaming (chunked) speech encoder: each frame sees its own chunk and all previous chunks."""
import torch
import torch.nn as nn


def chunk_causal_mask(num_frames: int, chunk_size: int, device=None) -> torch.Tensor:
    """Bool mask (True = blocked) allowing attention inside the current chunk and to the past."""
    chunk_idx = torch.arange(num_frames, device=device) // chunk_size
    return chunk_idx[None, :] > chunk_idx[:, None]


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=16, d_model=32, nhead=4, num_layers=2, chunk_size=4, vocab=20):
        super().__init__()
        self.chunk_size = chunk_size
        self.subsample = nn.Linear(n_mels, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        ])
        self.ctc_head = nn.Linear(d_model, vocab)

    def forward(self, feats):
        x = self.subsample(feats)
        mask = chunk_causal_mask(x.size(1), self.chunk_size, x.device)
        for layer in self.layers:
            x = layer(x, src_mask=mask)
        return self.ctc_head(x).log_softmax(-1)


def ctc_step(model, feats, targets, feat_lens, target_lens):
    model.train()
    log_probs = model(feats).transpose(0, 1)
    return nn.functional.ctc_loss(log_probs, targets, feat_lens, target_lens)
