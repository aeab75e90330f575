"""Reading-order decoder for document layout analysis.

Given OCR'd text boxes (encoded as memory), the decoder emits box indices
one at a time in reading order (pointer-network style, teacher forced).
"""
import torch
from torch import nn


def subsequent_bias(n: int) -> torch.Tensor:
    """Additive bias for the decoder's self-attention (float, -inf = hidden)."""
    visible = torch.ones(n, n).tril().bool()
    return torch.zeros(n, n).masked_fill(visible, float("-inf"))


class BoxEncoder(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.geom = nn.Linear(4, d)
        self.text = nn.Linear(300, d)

    def forward(self, boxes, text_feats):
        return self.geom(boxes) + self.text(text_feats)


class ReadingOrderDecoder(nn.Module):
    def __init__(self, d=128, heads=4, layers=2):
        super().__init__()
        self.enc = BoxEncoder(d)
        self.start = nn.Parameter(torch.randn(d))
        layer = nn.TransformerDecoderLayer(d, heads, 256, dropout=0.0, batch_first=True)
        self.dec = nn.TransformerDecoder(layer, layers)
        self.q = nn.Linear(d, d)

    def forward(self, boxes, text_feats, order):
        memory = self.enc(boxes, text_feats)                       # (N, B, d)
        prev = torch.gather(memory, 1, order[:, :-1, None].expand(-1, -1, memory.size(-1)))
        tgt = torch.cat([self.start.expand(memory.size(0), 1, -1), prev], dim=1)
        h = self.dec(tgt, memory,
                     tgt_mask=subsequent_bias(tgt.size(1)))  # expect: ML103
        return torch.einsum("ntd,nbd->ntb", self.q(h), memory)   # pointer logits


if __name__ == "__main__":
    torch.manual_seed(0)
    N, B = 3, 20
    boxes, text = torch.rand(N, B, 4), torch.randn(N, B, 300)
    order = torch.stack([torch.randperm(B) for _ in range(N)])
    model = ReadingOrderDecoder()
    logits = model(boxes, text, order)
    loss = nn.functional.cross_entropy(logits.reshape(-1, B), order.reshape(-1))
    print("pointer loss", loss.item())
