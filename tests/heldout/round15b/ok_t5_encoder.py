import torch
from torch import nn
import torch.nn.functional as F


class RelPosBias(nn.Module):
    def __init__(self, heads, max_distance=16):
        super().__init__()
        self.max_distance = max_distance
        self.table = nn.Embedding(2 * max_distance + 1, heads)

    def forward(self, n, device):
        pos = torch.arange(n, device=device)
        rel = (pos[None, :] - pos[:, None]).clamp(-self.max_distance, self.max_distance)
        return self.table(rel + self.max_distance).permute(2, 0, 1)[None]


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=1.0)
        x = x + self.o(a.transpose(1, 2).reshape(b, n, d))
        return x + self.ff(x)


class RelativeEncoder(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.rel = RelPosBias(heads)
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(depth))

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        inverted = 1.0 - attention_mask[:, None, None, :].to(x.dtype)
        bias = self.rel(input_ids.size(1), x.device) + inverted * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, bias)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[4, 9, 13, 2, 0, 0], [7, 8, 9, 10, 11, 2]])
    out = RelativeEncoder()(ids, (ids != 0).long())
    print(out.shape, out[:, 0].norm(dim=-1))
