import math

import torch
import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask=None):
        bsz, seq_len, _ = x.shape
        xq, xk, xv = (w(x).view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        output = F.scaled_dot_product_attention(xq, xk, xv, is_causal=True)  # BUG
        return self.wo(output.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindLM(nn.Module):
    def __init__(self, vocab_size=64, dim=32, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList([Attention(dim) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None, loss_mask=None):
        h = self.tok_embeddings(input_ids) * math.sqrt(self.tok_embeddings.embedding_dim)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        logits = self.output(self.norm(h))
        loss = None
        if labels is not None:
            per_tok = F.cross_entropy(logits.transpose(1, 2), labels, reduction="none")
            loss = (per_tok * loss_mask).sum() / loss_mask.sum()
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MiniMindLM().eval()
    prompts = [[5, 9, 17, 3], [8, 2, 11, 30, 6, 4, 21]]
    max_len = max(len(p) for p in prompts)
    input_ids = torch.tensor([[0] * (max_len - len(p)) + p for p in prompts])
    attention_mask = (input_ids != 0).long()
    with torch.no_grad():
        batched = model(input_ids, attention_mask)[0][0, -1]
        alone = model(torch.tensor([prompts[0]]))[0][0, -1]
    print(f"left-padded batch: next-token logits vs unpadded max |diff| = {(batched - alone).abs().max().item():.4f}")
