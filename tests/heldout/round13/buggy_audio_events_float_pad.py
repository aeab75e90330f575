"""Sound-event tagging (AudioSet-like) with a frame-level Transformer encoder."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn


@dataclass
class TaggerConfig:
    n_mels: int = 64
    d_model: int = 128
    nhead: int = 4
    num_layers: int = 3
    n_classes: int = 527
    mask_dtype: torch.dtype = torch.float32
    pool: str = "mean"
    extra: dict = field(default_factory=dict)


def frame_padding(lengths: torch.Tensor, total: int, cfg: TaggerConfig) -> torch.Tensor:
    idx = torch.arange(total, device=lengths.device).expand(lengths.numel(), total)
    return (idx >= lengths.unsqueeze(1)).to(cfg.mask_dtype)


class EventTagger(nn.Module):
    def __init__(self, cfg: TaggerConfig):
        super().__init__()
        self.cfg = cfg
        self.front = nn.Sequential(nn.Linear(cfg.n_mels, cfg.d_model), nn.ReLU(), nn.LayerNorm(cfg.d_model))
        enc_layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, dim_feedforward=4 * cfg.d_model,
                                               dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, cfg.num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(cfg.d_model, cfg.n_classes)

    def forward(self, mel, lengths):
        x = self.front(mel)
        pad = frame_padding(lengths, mel.size(1), self.cfg)
        x = self.encoder(x, src_key_padding_mask=pad)  # expect: ML201
        keep = (1.0 - pad).unsqueeze(-1)
        clip = (x * keep).sum(1) / keep.sum(1)
        return self.classifier(clip)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = TaggerConfig()
    model = EventTagger(cfg)
    mel = torch.randn(4, 500, cfg.n_mels)
    lengths = torch.tensor([500, 420, 250, 100])
    logits = model(mel, lengths)
    labels = (torch.rand(4, cfg.n_classes) < 0.01).float()
    loss = nn.functional.binary_cross_entropy_with_logits(logits, labels)
    loss.backward()
    print("train bce", round(loss.item(), 4))
    model.eval()
    with torch.no_grad():
        print("eval logits finite:", bool(torch.isfinite(model(mel, lengths)).all()))
