"""Genomic k-mer model with local (sliding-window) attention; options come from a YAML run config."""
import torch
import torch.nn as nn
import yaml

RUN_CONFIG = """
model:
  vocab: 4101
  d_model: 128
  nhead: 4
  depth: 2
  attention:
    window: 16
    causal: true
"""


def band_mask(n, window, device=None):
    i = torch.arange(n, device=device)
    dist = (i[:, None] - i[None, :]).abs()
    return dist > window


class KmerModel(nn.Module):
    def __init__(self, vocab, d_model, nhead, depth, attention):
        super().__init__()
        self.window = attention["window"]
        self.causal = attention["causal"]
        self.embed = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, batch_first=True)
            for _ in range(depth))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, kmers):
        x = self.embed(kmers)
        local = band_mask(kmers.size(1), self.window, kmers.device)
        for layer in self.layers:
            x = layer(x, src_mask=local, is_causal=self.causal)  # expect: ML402
        return self.head(x)


def build(cfg_text):
    cfg = yaml.safe_load(cfg_text)["model"]
    return KmerModel(**cfg)


if __name__ == "__main__":
    model = build(RUN_CONFIG)
    kmers = torch.randint(0, 4101, (2, 96))
    logits = model(kmers[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), kmers[:, 1:])
    loss.backward()
    print(loss.item())
