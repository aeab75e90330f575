"""Code-completion model compiled with torch.compile; keep masks cached per length."""
import torch
import torch.nn as nn
import torch.nn.functional as F

_MASKS: dict = {}


def keep_causal(n: int, device) -> torch.Tensor:
    key = (n, str(device))
    if key not in _MASKS:
        _MASKS[key] = torch.ones(n, n, dtype=torch.bool, device=device).tril()
    return _MASKS[key]


class CodeBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return x + self.o(F.scaled_dot_product_attention(q, k, v, attn_mask=keep).transpose(1, 2).reshape(B, T, D))


class CodeLM(nn.Module):
    def __init__(self, vocab=256, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(CodeBlock(d) for _ in range(2))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        keep = keep_causal(ids.size(1), ids.device)
        x = self.emb(ids)
        for b in self.blocks:
            x = b(x, keep)
        return self.head(x)


if __name__ == "__main__":
    model = torch.compile(CodeLM(), backend="eager")
    ids = torch.randint(0, 256, (2, 9))
    print(F.cross_entropy(model(ids)[:, :-1].flatten(0, 1), ids[:, 1:].flatten()).item())
