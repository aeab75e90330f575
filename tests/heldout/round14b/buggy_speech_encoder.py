"""Utterance-level speaker/emotion encoder over log-mel frames."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EncoderConfig:
    n_mels: int = 40
    d_model: int = 96
    nhead: int = 4
    num_layers: int = 2
    dim_feedforward: int = 192
    dropout: float = 0.1
    num_classes: int = 6


class Conv2dSubsampling(nn.Module):
    """Downsample time by 2 with a strided conv, as in most speech front ends."""

    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Conv1d(n_mels, d_model, kernel_size=3, stride=2, padding=1)
        self.act = nn.GELU()

    def forward(self, feats, lengths):
        x = self.act(self.conv(feats.transpose(1, 2))).transpose(1, 2)
        return x, torch.div(lengths + 1, 2, rounding_mode="floor")


class UtteranceEncoder(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.subsample = Conv2dSubsampling(cfg.n_mels, cfg.d_model)
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.nhead, cfg.dim_feedforward, cfg.dropout,
            activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(cfg.d_model, cfg.num_classes)

    def forward(self, feats, lengths):
        x, lengths = self.subsample(feats, lengths)
        steps = torch.arange(x.size(1), device=x.device)
        is_pad = steps[None, :] >= lengths[:, None]
        key_padding = torch.where(is_pad, 1.0, 0.0)
        h = self.encoder(x, src_key_padding_mask=key_padding)  # expect: ML201
        keep = (~is_pad).unsqueeze(-1).to(h.dtype)
        pooled = (h * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled), lengths


def collate(utterances):
    lengths = torch.tensor([u.size(0) for u in utterances])
    feats = nn.utils.rnn.pad_sequence(utterances, batch_first=True)
    return feats, lengths


def train_step(model, batch, labels, opt):
    model.train()
    logits, _ = model(*batch)
    loss = nn.functional.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = EncoderConfig()
    model = UtteranceEncoder(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = collate([torch.randn(50, cfg.n_mels), torch.randn(31, cfg.n_mels), torch.randn(44, cfg.n_mels)])
    print("loss", round(train_step(model, batch, torch.tensor([0, 3, 5]), opt), 4))
    model.eval()
    with torch.no_grad():
        logits, _ = model(*batch)
    print("eval logits", tuple(logits.shape))
