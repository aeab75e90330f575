import torch
from torch import nn


class AttentionMaskConverter:
    def __init__(self, is_causal=True, sliding_window=None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window

    def _make_causal_mask(self, bsz, tgt_len, dtype, device):
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
        mask_cond = torch.arange(mask.size(-1), device=device)
        mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
        return mask.to(dtype)[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len):
        bsz, src_len = mask.size()
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        bsz = attention_mask_2d.shape[0]
        causal_4d = self._make_causal_mask(bsz, query_length, dtype, attention_mask_2d.device)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=query_length)
        expanded_4d_mask = causal_4d.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)
        return expanded_4d_mask


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = q @ k.transpose(2, 3) / self.head_dim ** 0.5
        attn_weights = attn_weights.float() + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1).to(q.dtype)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(b, s, -1))


class LlamaModel(nn.Module):
    def __init__(self, vocab_size=300, hidden_size=64, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(hidden_size) for _ in range(num_layers)])
        self.converter = AttentionMaskConverter(is_causal=True)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask_4d = self.converter.to_4d(attention_mask, input_ids.shape[1], dtype=h.dtype)
        for layer in self.layers:
            h = h + layer(h, mask_4d)
        return h
