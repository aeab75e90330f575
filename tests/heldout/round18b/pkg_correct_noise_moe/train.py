import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import CausalSelfAttention, SparseMoE


class MoECodeLM(nn.Module):
    def __init__(self, vocab=400, d=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(128, d)
        self.attn = nn.ModuleList(CausalSelfAttention(d, heads) for _ in range(depth))
        self.moe = nn.ModuleList(SparseMoE(d) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * depth))
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.emb(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        for i, (attn, moe) in enumerate(zip(self.attn, self.moe)):
            x = x + attn(self.ln[2 * i](x))
            x = x + moe(self.ln[2 * i + 1](x))
        return self.head(x)


def main():
    torch.manual_seed(0)
    model = MoECodeLM()
    idx = torch.randint(0, 400, (2, 16))
    loss = F.cross_entropy(model(idx[:, :-1]).transpose(1, 2), idx[:, 1:])
    loss.backward()
    print("loss", round(loss.item(), 5))


if __name__ == "__main__":
    main()
