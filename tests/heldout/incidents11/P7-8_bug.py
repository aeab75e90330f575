from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

_is_torch_greater_or_equal_than_2_5 = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 5)


def causal_mask_function(batch_idx, head_idx, q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(padding_mask):
    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return padding_mask[batch_idx, kv_idx]
    return inner_mask


def sdpa_mask(batch_size, cache_position, kv_length, kv_offset=0, mask_function=causal_mask_function,
              attention_mask: Optional[torch.Tensor] = None, local_size=None, allow_is_causal_skip=True, allow_torch_fix=True):
    padding_mask = attention_mask.bool() if attention_mask is not None else None
    if allow_is_causal_skip and padding_mask is None and cache_position.shape[0] > 1:
        return None
    kv_arange = torch.arange(kv_length) + kv_offset
    batch_arange = torch.arange(batch_size)[:, None, None, None]
    q = cache_position[None, None, :, None]
    kv = kv_arange[None, None, None, :]
    causal_mask = mask_function(batch_arange, 0, q, kv)
    if padding_mask is not None:
        causal_mask = causal_mask & padding_mask_function(padding_mask)(batch_arange, 0, q, kv)
    causal_mask = causal_mask.expand(batch_size, 1, cache_position.shape[0], kv_length)
    if allow_torch_fix:
        causal_mask = causal_mask | torch.all(~causal_mask, dim=-1, keepdim=True)
    return causal_mask


def create_causal_mask(config, input_embeds, attention_mask, cache_position):
    allow_torch_fix = not _is_torch_greater_or_equal_than_2_5  # BUG
    return sdpa_mask(input_embeds.shape[0], cache_position, cache_position.shape[0], attention_mask=attention_mask,
                     allow_torch_fix=allow_torch_fix)


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling=None):
    is_causal = attention_mask is None and query.shape[2] > 1
    if attention_mask is not None:
        module.rows_without_keys = int((~attention_mask).all(-1).sum())
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling, is_causal=is_causal)
    return out.transpose(1, 2).contiguous()


class MistralAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv_proj = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.rows_without_keys = 0

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = sdpa_attention_forward(self, q, k, v, attention_mask, scaling=self.head_dim ** -0.5)
        return self.o_proj(out.reshape(b, s, -1))


class MistralModel(nn.Module):
    def __init__(self, vocab=64, hidden=32, layers=2):
        super().__init__()
        self.config = {"_attn_implementation": "sdpa"}
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(MistralAttention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.RMSNorm(hidden) for _ in range(layers))

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        cache_position = torch.arange(input_ids.shape[1])
        causal_mask = create_causal_mask(self.config, inputs_embeds, attention_mask, cache_position)
        h = inputs_embeds
        for norm, layer in zip(self.norms, self.layers):
            h = h + layer(norm(h), causal_mask)
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MistralModel().eval()
    input_ids = torch.tensor([[2, 2, 2, 2, 9, 31, 17], [5, 12, 40, 3, 8, 22, 6]])
    attention_mask = torch.tensor([[0, 0, 0, 0, 1, 1, 1], [1] * 7])
    with torch.no_grad():
        model(input_ids, attention_mask)
    print(f"fully-masked query rows reaching SDPA: {model.layers[0].rows_without_keys}")
