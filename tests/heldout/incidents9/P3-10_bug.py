import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None, e=1e-12):
        batch_size, head, length, d_tensor = k.size()
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = self.softmax(score)
        return score @ v, score


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, trg_pad_idx, trg_sos_idx, device="cpu"):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.trg_pad_idx = trg_pad_idx
        self.trg_sos_idx = trg_sos_idx
        self.device = device
        self.attention = ScaleDotProductAttention()

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)

    def make_trg_mask(self, trg):
        trg_pad_mask = (trg != self.trg_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG
        trg_len = trg.shape[1]
        trg_sub_mask = torch.tril(torch.ones(trg_len, trg_len)).type(torch.ByteTensor).to(self.device)
        return trg_pad_mask & trg_sub_mask  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer(src_pad_idx=0, trg_pad_idx=0, trg_sos_idx=1)
    trg = torch.tensor([[1, 5, 7, 0, 0], [1, 9, 4, 6, 3]])
    trg_mask = model.make_trg_mask(trg)
    print(trg_mask.shape)
    print(trg_mask[0, 0].int())
    x = torch.randn(2, 2, 5, 8)
    _, weights = model.attention(x, x, x, mask=trg_mask)
    print("rows with no attendable key:", int((trg_mask.expand(2, 1, 5, 5).sum(-1) == 0).sum()))
    print("pad-query row 3 attends future keys:", weights[0, 0, 3, 4].item() > 0.01)
