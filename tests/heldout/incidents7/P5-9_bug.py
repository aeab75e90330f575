"""Open-source LM in the style of mlfoundations/open_lm with an evaluation harness that
generates answers for a batch of left-padded prompts."""
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Params:
    dim: int = 32
    n_heads: int = 4
    n_layers: int = 2
    vocab_size: int = 90
    seq_len: int = 32


def torch_attn(queries, keys, values, is_causal, attention_mask=None):
    if attention_mask is None:
        return F.scaled_dot_product_attention(queries, keys, values, is_causal=is_causal)
    q_len, k_len = queries.shape[2], keys.shape[2]
    causal = torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
    mask = causal & attention_mask.bool()[:, None, None, :]
    return F.scaled_dot_product_attention(queries, keys, values, attn_mask=mask)


class CustomAttn(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.n_heads = p.n_heads
        self.in_proj = nn.Linear(p.dim, 3 * p.dim, bias=False)
        self.out_proj = nn.Linear(p.dim, p.dim, bias=False)
        self.pos = nn.Embedding(p.seq_len, p.dim)

    def forward(self, x, position_ids, attention_mask=None):
        b, s, d = x.shape
        x = x + self.pos(position_ids)
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        out = torch_attn(q, k, v, is_causal=True, attention_mask=attention_mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, d))


class Transformer(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.tok_embeddings = nn.Embedding(p.vocab_size, p.dim)
        self.layers = nn.ModuleList([CustomAttn(p) for _ in range(p.n_layers)])
        self.norm = nn.LayerNorm(p.dim)
        self.output = nn.Linear(p.dim, p.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            position_ids = torch.arange(input_ids.shape[1])[None].expand_as(input_ids)
        else:
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, position_ids, attention_mask)
        return self.output(self.norm(h))


@torch.no_grad()
def generate(model, prompts, pad_id=0, max_new_tokens=4):
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])
    attention_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    for _ in range(max_new_tokens):
        logits = model(input_ids)  # BUG
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, nxt], 1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
    return input_ids[:, width:]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer(Params()).eval()
    prompts = [[3, 14, 15, 2, 65, 35], [27, 18], [28, 18, 28]]
    print(generate(model, prompts))
    singles = [generate(model, [p]) for p in prompts]
    print(torch.cat(singles))
