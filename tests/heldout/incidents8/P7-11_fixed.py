import math

import torch
import torch.nn.functional as F
from torch import nn


def _make_causal_mask(input_ids_shape, dtype, device):
    bsz, tgt_len = input_ids_shape
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
    mask = torch.triu(mask, diagonal=1).to(dtype)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask, dtype, tgt_len=None):
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1))


class LlamaModel(nn.Module):
    def __init__(self, vocab_size=128, hidden_size=64, num_layers=2, is_causal=True):
        super().__init__()
        self.is_causal = is_causal
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(LlamaAttention(hidden_size) for _ in range(num_layers))

    def _prepare_decoder_attention_mask(self, attention_mask, input_shape, inputs_embeds):
        combined = None
        if self.is_causal and input_shape[-1] > 1:
            combined = _make_causal_mask(input_shape, inputs_embeds.dtype, inputs_embeds.device)
        expanded = _expand_mask(attention_mask, inputs_embeds.dtype, tgt_len=input_shape[-1])
        return expanded if combined is None else expanded + combined

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask = self._prepare_decoder_attention_mask(attention_mask, input_ids.shape, h)
        for layer in self.layers:
            h = h + layer(h, attention_mask=mask)
        return h


if __name__ == "__main__":
    model = LlamaModel(is_causal=False)
    input_ids = torch.randint(0, 128, (2, 6))
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    print(model(input_ids, attention_mask).shape)
