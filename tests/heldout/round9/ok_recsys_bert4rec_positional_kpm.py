"""BERT4Rec encoder calling nn.MultiheadAttention positionally: the 4th positional
argument of MultiheadAttention.forward is key_padding_mask, which is what is passed."""
import torch
import torch.nn as nn

PAD, MASK = 0, 61


class Bert4RecLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, pad):
        out, _ = self.mha(x, x, x, pad)
        return self.ln(x + out)


class Bert4Rec(nn.Module):
    def __init__(self, n_items=62, d=32, max_len=8):
        super().__init__()
        self.item = nn.Embedding(n_items, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(Bert4RecLayer(d) for _ in range(2))
        self.out = nn.Linear(d, n_items)

    def forward(self, items):
        pad = items == PAD
        x = self.item(items) + self.pos(torch.arange(items.size(1)))
        for layer in self.layers:
            x = layer(x, pad)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Bert4Rec().eval()
    items = torch.tensor([[4, 9, MASK, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, MASK, 7]])
    with torch.no_grad():
        a = model(items)
        alone = model(items[:1, :3])
    assert torch.allclose(a[0, :3], alone[0], atol=1e-5), "padding leaked"
    print("OK: cloze predictions for user 0 do not depend on padding")
