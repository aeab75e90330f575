import math

import torch
import torch.nn as nn


def _make_causal_mask(input_ids_shape, dtype):
    bsz, tgt_len = input_ids_shape
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
    mask_cond = torch.arange(mask.size(-1))
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    return mask.to(dtype)[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask, dtype, tgt_len=None):
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, :, None].expand(bsz, 1, tgt_len, src_len).to(dtype)  # BUG
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        attn_weights = attn_weights + attention_mask
        attn_weights = torch.max(attn_weights, torch.tensor(torch.finfo(attn_weights.dtype).min))
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1))


def prepare_decoder_attention_mask(attention_mask, input_shape, inputs_embeds, is_causal=True):
    expanded = _expand_mask(attention_mask, inputs_embeds.dtype, tgt_len=input_shape[-1])
    if not is_causal:
        return expanded
    return expanded + _make_causal_mask(input_shape, inputs_embeds.dtype)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = LlamaAttention().eval()
    x = torch.randn(2, 6, 32)
    attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    mask = prepare_decoder_attention_mask(attention_mask, (2, 6), x, is_causal=False)
    noisy = x.clone()
    noisy[0, 4:] = torch.randn(2, 32)
    with torch.no_grad():
        d = (attn(x, mask)[0, :4] - attn(noisy, mask)[0, :4]).abs().max().item()
    print(f"bidirectional padding mask: real-token change when pad states change = {d:.4f}")
