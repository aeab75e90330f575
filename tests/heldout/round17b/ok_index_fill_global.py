"""Question answering over long leases: question tokens are global, lease text is windowed."""
import torch
import torch.nn.functional as F
from torch import nn


def windowed_with_globals(n, window, global_idx, device=None):
    pos = torch.arange(n, device=device)
    allowed = (pos[:, None] - pos[None, :]).abs() <= window
    allowed.index_fill_(1, global_idx, True)
    allowed.index_fill_(0, global_idx, True)
    return allowed


class LeaseReader(nn.Module):
    def __init__(self, vocab=16000, dim=64, heads=4, layers=2, window=4):
        super().__init__()
        self.heads, self.window = heads, window
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(1024, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.span = nn.Linear(dim, 2)

    def forward(self, ids, question_len):
        b, n = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        allowed = windowed_with_globals(n, self.window, torch.arange(question_len, device=ids.device), ids.device)
        for qkv, o, ln in zip(self.qkv, self.o, self.ln):
            q, k, v = qkv(ln(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + o(F.scaled_dot_product_attention(q, k, v, attn_mask=allowed).transpose(1, 2).reshape(b, n, -1))
        start, end = self.span(x).unbind(-1)
        return start, end


if __name__ == "__main__":
    torch.manual_seed(0)
    question = torch.randint(1, 16000, (2, 6))
    lease = torch.randint(1, 16000, (2, 60))
    start, end = LeaseReader()(torch.cat([question, lease], 1), question_len=6)
    print(start.argmax(-1), end.argmax(-1))
