import torch
import torch.nn as nn
import torch.nn.functional as F


class CodeSearchEncoder(nn.Module):
    """Bi-encoder tower for code search; tokens padded with padding_idx."""

    def __init__(self, vocab=2000, dim=64, heads=4, depth=2, padding_idx=0, max_len=128):
        super().__init__()
        self.heads = heads
        self.padding_idx = padding_idx
        self.tok = nn.Embedding(vocab, dim, padding_idx=padding_idx)
        self.pos = nn.Embedding(max_len, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.ffn = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                 for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))

    def forward(self, tokens):
        b, n = tokens.shape
        x = self.tok(tokens) + self.pos(torch.arange(n, device=tokens.device))
        pad = (tokens == self.padding_idx)[:, None, None, :]
        for qkv, proj, ffn, norm in zip(self.qkv, self.proj, self.ffn, self.norm):
            q, k, v = qkv(norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            h = F.scaled_dot_product_attention(q, k, v, attn_mask=pad)  # expect: ML102
            x = x + proj(h.transpose(1, 2).reshape(b, n, -1))
            x = x + ffn(x)
        keep = (tokens != self.padding_idx).unsqueeze(-1).float()
        return F.normalize((x * keep).sum(1) / keep.sum(1).clamp(min=1), dim=-1)


def contrastive_loss(query_enc, code_enc, queries, snippets, temperature=0.05):
    q = query_enc(queries)
    c = code_enc(snippets)
    logits = q @ c.t() / temperature
    return F.cross_entropy(logits, torch.arange(q.size(0)))


if __name__ == "__main__":
    qe, ce = CodeSearchEncoder(), CodeSearchEncoder()
    queries = torch.randint(1, 2000, (4, 10))
    queries[:, 7:] = 0
    snippets = torch.randint(1, 2000, (4, 30))
    snippets[1, 20:] = 0
    print(contrastive_loss(qe, ce, queries, snippets).item())
