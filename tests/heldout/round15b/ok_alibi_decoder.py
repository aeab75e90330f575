import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    return torch.tensor([2 ** (-8 * (i + 1) / n_heads) for i in range(n_heads)])


class AlibiCausalAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("slopes", alibi_slopes(heads), persistent=False)

    def bias(self, n, device):
        pos = torch.arange(n, device=device)
        rel = (pos[None, :] - pos[:, None]).float()
        visible = torch.ones(n, n, dtype=torch.bool, device=device).tril()
        return torch.where(visible, self.slopes[:, None, None] * rel, float("-inf"))

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias(n, x.device))
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class AlibiDecoder(nn.Module):
    def __init__(self, vocab, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(AlibiCausalAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        x = self.emb(idx)
        for blk, norm in zip(self.blocks, self.norms):
            x = x + blk(norm(x))
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AlibiDecoder(vocab=40)
    seq = torch.randint(0, 40, (3, 10))
    loss = F.cross_entropy(model(seq[:, :-1]).flatten(0, 1), seq[:, 1:].flatten())
    loss.backward()
    print("loss", loss.item())
