import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, n_heads, dropout=0.1):
        super().__init__()
        self.n_heads, self.dropout = n_heads, dropout
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask):
        bsz, seqlen, dim = x.shape
        q, k, v = self.wqkv(x).view(bsz, seqlen, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        causal = torch.ones(seqlen, seqlen, dtype=torch.bool, device=x.device).tril()
        allowed = causal[None, None] & attention_mask.bool()[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed,
                                             dropout_p=self.dropout if self.training else 0.0)
        return self.wo(out.transpose(1, 2).reshape(bsz, seqlen, dim))


class ChatModel(nn.Module):
    def __init__(self, vocab=64, dim=32, n_heads=4, n_layers=2, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(Attention(dim, n_heads, dropout) for _ in range(n_layers))
        self.norm = nn.ModuleList(nn.RMSNorm(dim) for _ in range(n_layers))
        self.out = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.tok(input_ids)
        for attn, norm in zip(self.attn, self.norm):
            h = h + attn(norm(h), attention_mask)
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChatModel()
    ids = torch.randint(1, 64, (2, 8))
    am = torch.ones_like(ids)
    am[1, 6:] = 0
    logits = model(ids[:, :-1], am[:, :-1])
    print("train loss", F.cross_entropy(logits.transpose(1, 2), ids[:, 1:]).item())
