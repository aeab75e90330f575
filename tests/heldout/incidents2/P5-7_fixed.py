from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LMConfig:
    vocab_size: int = 6400
    dim: int = 512
    n_heads: int = 8
    n_layers: int = 4
    max_seq_len: int = 512


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wqkv = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x: torch.Tensor, attention_mask: torch.Tensor = None) -> torch.Tensor:
        bsz, seqlen, _ = x.shape
        xq, xk, xv = self.wqkv(x).view(bsz, seqlen, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(xq, xk, xv, is_causal=True)
        else:
            causal = torch.ones(seqlen, seqlen, dtype=torch.bool, device=x.device).tril()
            keep = causal[None, None] & attention_mask.bool()[:, None, None, :]
            out = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=keep)
        return self.wo(out.transpose(1, 2).reshape(bsz, seqlen, -1))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList([Attention(params) for _ in range(params.n_layers)])
        self.norm = nn.LayerNorm(params.dim)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor = None) -> torch.Tensor:
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.output(self.norm(h))


def train_step(model, input_ids, labels, loss_mask, optimizer):
    logits = model(input_ids, attention_mask=(input_ids != 0).long())
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), reduction="none")
    loss = (loss * loss_mask.reshape(-1)).sum() / loss_mask.sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    model = MiniMindLM(LMConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    ids = torch.randint(1, 6400, (2, 32))
    ids[1, :12] = 0  # left padding
    mask = (ids != 0).long()
    print(train_step(model, ids[:, :-1], ids[:, 1:], mask[:, 1:], opt))
