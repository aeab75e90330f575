from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn


def and_masks(*mask_functions: Callable) -> Callable:
    def and_mask(batch_idx, head_idx, q_idx, kv_idx):
        result = torch.ones((), dtype=torch.bool)
        for fn in mask_functions:
            result = result & fn(batch_idx, head_idx, q_idx, kv_idx)
        return result
    return and_mask


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask: torch.Tensor) -> Callable:
    def inner(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner


def sdpa_mask(batch_size, cache_position, kv_length, mask_function, attention_mask: Optional[torch.Tensor] = None, allow_torch_fix=True):
    if attention_mask is not None:
        mask_function = and_masks(mask_function, padding_mask_function(attention_mask.bool()))
    b = torch.arange(batch_size)[:, None, None, None]
    q = cache_position[None, None, :, None]
    kv = torch.arange(kv_length)[None, None, None, :]
    causal_mask = mask_function(b, None, q, kv)
    if allow_torch_fix:
        causal_mask = causal_mask | torch.all(~causal_mask, dim=-1, keepdim=True)
    return causal_mask


class Gemma4TextModel(nn.Module):
    def __init__(self, vocab=64, hidden=32, heads=4, layers=2):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.qkv = nn.ModuleList([nn.Linear(hidden, 3 * hidden, bias=False) for _ in range(layers)])
        self.norm = nn.RMSNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        b, s = input_ids.shape
        mask = sdpa_mask(b, torch.arange(s), s, causal_mask_function, attention_mask, allow_torch_fix=True)  # BUG
        self.rows_without_keys = int((~mask.any(-1)).sum())
        h = self.embed_tokens(input_ids)
        for proj in self.qkv:
            q, k, v = proj(self.norm(h)).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
            h = h + F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, s, -1)
        return self.lm_head(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Gemma4TextModel().eval()
    ids = torch.tensor([[0, 0, 0, 31, 32, 33], [40, 41, 42, 43, 44, 45]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = model(ids, attention_mask)
        rows = model.rows_without_keys
        solo = model(ids[:1, 3:], attention_mask[:1, 3:])
    gap = (logits[0, 3:] - solo[0]).abs().max().item()
    print(f"query rows with no attendable key = {rows}; real-token logits |batched - solo| = {gap:.4f}")
