import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class LMConfig:
    dim: int = 16
    n_layers: int = 2
    n_heads: int = 2
    vocab_size: int = 40
    max_seq_len: int = 32
    dropout: float = 0.0
    flash_attn: bool = True


class Attention(nn.Module):
    def __init__(self, args: LMConfig):
        super().__init__()
        self.n_local_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.dropout = args.dropout
        self.flash = hasattr(torch.nn.functional, 'scaled_dot_product_attention') and args.flash_attn

    def forward(self, x: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        bsz, seq_len, _ = x.shape
        xq = self.wq(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xk = self.wk(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        xv = self.wv(x).view(bsz, seq_len, self.n_local_heads, self.head_dim).transpose(1, 2)
        dropout_p = self.dropout if self.training else 0.0
        if attention_mask is None:
            output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=None, dropout_p=dropout_p, is_causal=True)
        else:
            causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=x.device).tril()
            attn_mask = attention_mask.view(bsz, 1, 1, -1).bool() & causal
            output = F.scaled_dot_product_attention(xq, xk, xv, attn_mask=attn_mask, dropout_p=dropout_p)
        output = output.transpose(1, 2).reshape(bsz, seq_len, -1)
        return self.wo(output)


class MiniMindBlock(nn.Module):
    def __init__(self, config: LMConfig):
        super().__init__()
        self.attention = Attention(config)
        self.attention_norm = nn.RMSNorm(config.dim, eps=1e-5)
        self.ffn = nn.Sequential(nn.Linear(config.dim, 4 * config.dim), nn.SiLU(), nn.Linear(4 * config.dim, config.dim))
        self.ffn_norm = nn.RMSNorm(config.dim, eps=1e-5)

    def forward(self, x, attention_mask=None):
        h = x + self.attention(self.attention_norm(x), attention_mask=attention_mask)
        return h + self.ffn(self.ffn_norm(h))


class MiniMindLM(nn.Module):
    def __init__(self, params: LMConfig = None):
        super().__init__()
        self.params = params = params or LMConfig()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.pos_embeddings = nn.Embedding(params.max_seq_len, params.dim)
        self.layers = nn.ModuleList([MiniMindBlock(params) for _ in range(params.n_layers)])
        self.norm = nn.RMSNorm(params.dim, eps=1e-5)
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids: Optional[torch.Tensor] = None, attention_mask: Optional[torch.Tensor] = None, **args):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        h = self.tok_embeddings(input_ids) + self.pos_embeddings(pos)
        for layer in self.layers:
            h = layer(h, attention_mask=attention_mask)  # BUG
        return self.output(self.norm(h))


if __name__ == '__main__':
    torch.manual_seed(0)
    model = MiniMindLM().eval()
    prompts = torch.tensor([[0, 0, 0, 5, 9, 3], [7, 2, 8, 4, 6, 1]])
    attention_mask = (prompts != 0).long()
    with torch.no_grad():
        batched = model(prompts, attention_mask=attention_mask)
        alone = model(prompts[:1, 3:], attention_mask=attention_mask[:1, 3:])
    print(f'left-padded prompt logits, batched vs alone: max diff {(batched[0, 3:] - alone[0]).abs().max().item():.4f}')
