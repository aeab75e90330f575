from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn


def and_masks(*fns: Callable) -> Callable:
    def inner(b, h, q, kv):
        out = torch.ones((), dtype=torch.bool)
        for fn in fns:
            out = out & fn(b, h, q, kv)
        return out
    return inner


def or_masks(*fns: Callable) -> Callable:
    def inner(b, h, q, kv):
        out = torch.zeros((), dtype=torch.bool)
        for fn in fns:
            out = out | fn(b, h, q, kv)
        return out
    return inner


def causal_mask_function(b, h, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask: torch.Tensor) -> Callable:
    def inner(b, h, q_idx, kv_idx):
        return padding_mask[b, kv_idx]
    return inner


def blockwise_overlay(group_ids: torch.Tensor) -> Callable:
    """Tokens of one image (same positive group id) see each other bidirectionally."""
    def inner(b, h, q_idx, kv_idx):
        gq, gk = group_ids[b, q_idx], group_ids[b, kv_idx]
        return (gq == gk) & (gq >= 0)
    return inner


def sdpa_mask(batch_size: int, q_length: int, kv_length: int, mask_function: Callable, padding_mask: Optional[torch.Tensor] = None):
    if padding_mask is not None:
        mask_function = and_masks(mask_function, padding_mask_function(padding_mask))
    b = torch.arange(batch_size)[:, None, None, None]
    h = torch.zeros(1, 1, 1, 1, dtype=torch.long)
    q = torch.arange(q_length)[None, None, :, None]
    kv = torch.arange(kv_length)[None, None, None, :]
    causal_mask = mask_function(b, h, q, kv).expand(batch_size, 1, q_length, kv_length)
    return causal_mask  # BUG


def create_causal_mask_mapping(input_ids, attention_mask, mm_token_type_ids):
    group_ids = torch.where(mm_token_type_ids > 0, torch.cumsum((mm_token_type_ids > 0) & (F.pad(mm_token_type_ids, (1, 0))[:, :-1] == 0), -1), -1)
    mask_fn = or_masks(causal_mask_function, blockwise_overlay(group_ids))
    full = sdpa_mask(input_ids.shape[0], input_ids.shape[1], input_ids.shape[1], mask_fn, attention_mask.bool())
    return {"full_attention": full}


class Gemma4Attention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.rows_without_keys = 0

    def forward(self, x, attention_mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        self.rows_without_keys = int((~attention_mask).all(-1).sum())
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class Gemma4ForConditionalGeneration(nn.Module):
    def __init__(self, vocab=90, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.vision_tower = nn.Linear(12, hidden)
        self.layers = nn.ModuleList(Gemma4Attention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab)

    def forward(self, input_ids, attention_mask, mm_token_type_ids, pixel_embeds):
        x = self.embed_tokens(input_ids)
        x = torch.where((mm_token_type_ids > 0)[..., None], self.vision_tower(pixel_embeds), x)
        masks = create_causal_mask_mapping(input_ids, attention_mask, mm_token_type_ids)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), masks["full_attention"])
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Gemma4ForConditionalGeneration().eval()
    input_ids = torch.tensor([[0, 0, 2, 7, 7, 7, 14, 30], [2, 7, 7, 7, 21, 9, 40, 11]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1, 1, 1], [1] * 8])
    mm = torch.tensor([[0, 0, 0, 1, 1, 1, 0, 0], [0, 1, 1, 1, 0, 0, 0, 0]])
    with torch.no_grad():
        model(input_ids, attention_mask, mm, torch.randn(2, 8, 12))
    print(f"fully-masked query rows reaching SDPA: {model.layers[0].rows_without_keys}")
