import math

import torch
import torch.nn.functional as F
from torch import nn


class LMConfig:
    dim = 32
    n_heads = 4
    n_layers = 2
    vocab_size = 64
    flash_attn = True


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_local_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.flash = args.flash_attn

    def forward(self, x, attention_mask=None):
        bsz, seq_len, _ = x.shape
        xq = self.wq(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xk = self.wk(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xv = self.wv(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
        keep = causal if attention_mask is None else causal & attention_mask[:, None, None, :].bool()
        output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=None, dropout_p=0.0, is_causal=True)  # BUG
        return self.wo(output.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig = LMConfig()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList([Attention(params) for _ in range(params.n_layers)])
        self.norm = nn.RMSNorm(params.dim)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None, loss_mask=None):
        h = self.tok_embeddings(input_ids) * math.sqrt(self.tok_embeddings.embedding_dim)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        logits = self.output(self.norm(h))
        if labels is None:
            return logits
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), reduction="none")
        return logits, (loss * loss_mask.view(-1)).sum() / loss_mask.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MiniMindLM().eval()
    pad = 0
    prompts = [[5, 6, 7, 8, 9, 10], [20, 21, 22]]
    width = max(map(len, prompts))
    ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts])
    mask = (torch.arange(width)[None, :] >= torch.tensor([width - len(p) for p in prompts])[:, None]).long()
    with torch.no_grad():
        batched = model(ids, mask)[1, -1]
        alone = model(torch.tensor([prompts[1]]))[0, -1]
    print(f"left-padded prompt, next-token logits: |batched - alone| = {(batched - alone).abs().max().item():.4f}")
