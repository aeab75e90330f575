"""Vision transformer with sparse mixture-of-experts MLPs (V-MoE style, top-2 routing)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, img_size=32, patch=4, in_ch=3, dim=64):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, dim, patch, patch)
        self.num_patches = (img_size // patch) ** 2

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Top2Router(nn.Module):
    def __init__(self, dim, num_experts, capacity_factor=1.25):
        super().__init__()
        self.gate = nn.Linear(dim, num_experts, bias=False)
        self.num_experts = num_experts
        self.capacity_factor = capacity_factor

    def forward(self, tokens):                         # tokens: (N, dim)
        probs = self.gate(tokens).softmax(dim=-1)
        _, top_idx = probs.topk(2, dim=-1)
        mask = torch.zeros_like(probs, dtype=torch.bool).scatter_(1, top_idx, True)
        capacity = int(self.capacity_factor * tokens.size(0) * 2 / self.num_experts)
        position = torch.cumsum(mask.int(), dim=0) * mask
        mask = mask & (position <= capacity)
        weights = probs.masked_fill(~mask, 0.0)
        weights = weights / weights.sum(dim=-1, keepdim=True).clamp(min=1e-9)
        aux_loss = (probs.mean(0) * mask.float().mean(0)).sum() * self.num_experts
        return weights, mask, aux_loss


class MoEMLP(nn.Module):
    def __init__(self, dim, hidden, num_experts=4):
        super().__init__()
        self.router = Top2Router(dim, num_experts)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))
                                     for _ in range(num_experts))

    def forward(self, x):
        B, N, D = x.shape
        flat = x.reshape(-1, D)
        weights, mask, aux = self.router(flat)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            idx = mask[:, e].nonzero(as_tuple=True)[0]
            if idx.numel():
                out.index_add_(0, idx, expert(flat[idx]) * weights[idx, e:e + 1])
        return out.view(B, N, D), aux


class Block(nn.Module):
    def __init__(self, dim, heads, moe):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MoEMLP(dim, 2 * dim) if moe else nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.moe = moe

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        if self.moe:
            y, aux = self.mlp(self.norm2(x))
            return x + y, aux
        return x + self.mlp(self.norm2(x)), x.new_zeros(())


class VMoE(nn.Module):
    def __init__(self, num_classes=10, dim=64, depth=4, heads=4):
        super().__init__()
        self.patch = PatchEmbed(dim=dim)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, self.patch.num_patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads, moe=(i % 2 == 1)) for i in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, images):
        x = self.patch(images)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1) + self.pos
        aux_total = 0.0
        for blk in self.blocks:
            x, aux = blk(x)
            aux_total = aux_total + aux
        return self.head(self.norm(x)[:, 0]), aux_total


if __name__ == "__main__":
    torch.manual_seed(0)
    model = VMoE()
    logits, aux = model(torch.randn(4, 3, 32, 32))
    loss = F.cross_entropy(logits, torch.tensor([0, 1, 2, 3])) + 0.01 * aux
    loss.backward()
    print("loss", round(loss.item(), 3), "aux", round(aux.item(), 3))
