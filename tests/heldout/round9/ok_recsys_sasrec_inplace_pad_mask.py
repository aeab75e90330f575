"""SASRec with right-padded histories. The collate function writes the padding mask in place
(mask[i, n:] = True, True = padding) and the model feeds it to nn.MultiheadAttention."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def collate(histories, max_len=8):
    items = torch.zeros(len(histories), max_len, dtype=torch.long)
    pad = torch.zeros(len(histories), max_len, dtype=torch.bool)
    for i, h in enumerate(histories):
        n = len(h)
        items[i, :n] = torch.tensor(h)
        pad[i, n:] = True
    return items, pad


class SASRec(nn.Module):
    def __init__(self, n_items=50, d=32, heads=2, max_len=8):
        super().__init__()
        self.item = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, items, pad):
        L = items.size(1)
        x = self.item(items) + self.pos(torch.arange(L))
        future = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        out, _ = self.attn(x, x, x, attn_mask=future, key_padding_mask=pad)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader([[3, 9, 4], [1, 2, 3, 4, 5, 6, 7, 8], [11, 12, 13, 14, 15]],
                        batch_size=3, collate_fn=collate)
    items, pad = next(iter(loader))
    model = SASRec().eval()
    with torch.no_grad():
        a = model(items, pad)
        items2 = items.clone()
        items2[pad] = 17
        b = model(items2, pad)
        items3 = items.clone()
        items3[1, 5:] = 20
        c = model(items3, pad)
    assert not torch.isnan(a).any()
    assert torch.allclose(a[~pad], b[~pad], atol=1e-5), "padding leaked"
    assert torch.allclose(a[1, :5], c[1, :5], atol=1e-5), "future leaked"
    print("OK: real positions are padding-invariant and causal")
