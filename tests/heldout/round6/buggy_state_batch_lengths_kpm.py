"""Encoder fed from a Batch object that carries its own masks."""
import torch
import torch.nn as nn


def sequence_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    max_len = max_len or int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


class Batch:
    def __init__(self, src: torch.Tensor, lengths: torch.Tensor):
        self.src = src
        self.lengths = lengths
        self.src_mask = sequence_mask(lengths, src.size(1))
        self.ntokens = int(lengths.sum())

    def to(self, device):
        self.src = self.src.to(device)
        self.src_mask = self.src_mask.to(device)
        return self


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, batch_first=True),
            layers, enable_nested_tensor=False,
        )

    def forward(self, batch: Batch):
        x = self.emb(batch.src)
        return self.enc(
            x,
            src_key_padding_mask=batch.src_mask,  # expect: ML101
        )


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.randint(1, 100, (2, 6))
    b = Batch(src, torch.tensor([6, 3]))
    out = Encoder().train()(b)
    print("nan in full-length sample:", torch.isnan(out[0]).any().item(), out[0, 0, :3])
