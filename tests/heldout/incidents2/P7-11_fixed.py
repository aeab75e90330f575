from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_causal_mask(bsz: int, tgt_len: int, dtype: torch.dtype, device) -> torch.Tensor:
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device).triu(1)
    return mask.to(dtype)[None, None].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None) -> torch.Tensor:
    """[bsz, src_len] -> [bsz, 1, tgt_len, src_len]"""
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


def prepare_decoder_attention_mask(attention_mask, input_shape, inputs_embeds):
    combined = _make_causal_mask(input_shape[0], input_shape[-1], inputs_embeds.dtype, inputs_embeds.device)
    expanded = _expand_mask(attention_mask, inputs_embeds.dtype, tgt_len=input_shape[-1])
    return torch.maximum(expanded + combined, torch.tensor(torch.finfo(inputs_embeds.dtype).min))


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=512, num_heads=8):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / self.head_dim ** 0.5
        attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1))


if __name__ == "__main__":
    attn = LlamaAttention().half()
    x = torch.randn(2, 6, 512).half()
    am = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    mask = prepare_decoder_attention_mask(am, (2, 6), x)
    print(attn(x, mask).shape)
