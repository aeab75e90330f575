from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Params:
    dim: int = 32
    n_layers: int = 2
    n_heads: int = 4
    vocab_size: int = 60
    seq_len: int = 32


def get_rectangular_causal_mask(shape, q_seq_len, k_seq_len, device, dtype):
    mask = torch.ones((q_seq_len, k_seq_len), device=device, dtype=torch.bool)
    mask = torch.tril(mask, diagonal=k_seq_len - q_seq_len)
    additive = torch.zeros(mask.shape, device=device, dtype=dtype).masked_fill(~mask, float("-inf"))
    return additive[None, None].expand(*shape[:2], q_seq_len, k_seq_len)


def apply_attention_mask_(bias, attention_mask, queries_dtype):
    requires_grad = bias.requires_grad
    bias = bias.clone()
    min_val = torch.finfo(queries_dtype).min
    bias = bias.masked_fill(~attention_mask[:, None, None, :].bool(), min_val)
    return bias.requires_grad_(requires_grad)


def torch_attn(queries, keys, values, is_causal, attention_mask: Optional[torch.Tensor] = None):
    if attention_mask is None:
        bias = None
        if is_causal and queries.shape[2] != keys.shape[2]:
            bias = get_rectangular_causal_mask(queries.shape, queries.shape[2], keys.shape[2], queries.device, queries.dtype)
        return F.scaled_dot_product_attention(queries, keys, values, attn_mask=bias, is_causal=bias is None and is_causal)
    bias = get_rectangular_causal_mask(queries.shape, queries.shape[2], keys.shape[2], queries.device, queries.dtype) if is_causal else torch.zeros(1, device=queries.device)
    bias = apply_attention_mask_(bias, attention_mask, queries.dtype)
    return F.scaled_dot_product_attention(queries, keys, values, attn_mask=bias)


class CustomAttn(nn.Module):
    def __init__(self, args: Params):
        super().__init__()
        self.n_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.in_proj = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.out_proj = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x, past_key_value=None, use_cache=False, attention_mask=None):
        b, s, _ = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        out = torch_attn(q, k, v, is_causal=True, attention_mask=attention_mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, -1)), ((k, v) if use_cache else None)


class Transformer(nn.Module):
    def __init__(self, params: Params):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList(CustomAttn(params) for _ in range(params.n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(params.dim) for _ in range(params.n_layers))
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, past_key_values=None, use_cache=False, attention_mask=None):
        x = self.tok_embeddings(input_ids)
        past_key_values = past_key_values or [None] * len(self.layers)
        new_past = []
        for norm, layer, past in zip(self.norms, self.layers, past_key_values):
            h, kv = layer(norm(x), past_key_value=past, use_cache=use_cache, attention_mask=attention_mask)
            x = x + h
            new_past.append(kv)
        return self.output(x), new_past


class OpenLMforCausalLM(nn.Module):
    def __init__(self, params: Params):
        super().__init__()
        self.model = Transformer(params)

    def forward(self, input_ids, attention_mask=None, past_key_values=None, use_cache=True):
        logits, past = self.model(input_ids, past_key_values=past_key_values, use_cache=use_cache)  # BUG
        return logits, past

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=3):
        logits, past = self(input_ids, attention_mask=attention_mask)
        out = []
        for _ in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out.append(nxt)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
            logits, past = self(nxt, attention_mask=attention_mask, past_key_values=past)
        return torch.cat(out, dim=1), logits[:, -1]


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = OpenLMforCausalLM(Params()).eval()
    short = torch.tensor([[7, 23, 41]])
    longer = torch.tensor([[12, 5, 30, 18, 9, 44]])
    batch = torch.cat([torch.cat([torch.zeros(1, 3, dtype=torch.long), short], 1), longer])
    mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1] * 6])
    _, alone = lm.generate(short, torch.ones_like(short))
    _, batched = lm.generate(batch, mask)
    print(f"final-step logits, left-padded batch vs single prompt: {(alone[0] - batched[0]).abs().max().item():.3e}")
