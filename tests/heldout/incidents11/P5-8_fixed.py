from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def flash_attn_func(q, k, v, dropout_p=0.0, softmax_scale=None, causal=False):
    """Layout (batch, seqlen, nheads, headdim), as the flash-attn kernel expects."""
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                         dropout_p=dropout_p, scale=softmax_scale, is_causal=causal)
    return out.transpose(1, 2)


def flash_attn_varlen_func(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q, max_seqlen_k, dropout_p=0.0, softmax_scale=None, causal=False):
    outs = []
    for i in range(len(cu_seqlens_q) - 1):
        s, e = cu_seqlens_q[i], cu_seqlens_q[i + 1]
        outs.append(flash_attn_func(q[None, s:e], k[None, s:e], v[None, s:e], dropout_p, softmax_scale, causal)[0])
    return torch.cat(outs, 0)


def unpad_input(hidden_states, attention_mask):
    seqlens = attention_mask.sum(-1, dtype=torch.int32)
    indices = torch.nonzero(attention_mask.flatten(), as_tuple=False).flatten()
    cu_seqlens = F.pad(torch.cumsum(seqlens, dim=0, dtype=torch.int32), (1, 0)).tolist()
    return hidden_states.flatten(0, 1)[indices], indices, cu_seqlens, int(seqlens.max())


def pad_input(hidden_states, indices, batch, seqlen):
    out = hidden_states.new_zeros(batch * seqlen, *hidden_states.shape[1:])
    out[indices] = hidden_states
    return out.view(batch, seqlen, *hidden_states.shape[1:])


def _padded_flash_attention(q, k, v, attention_mask):
    bsz, q_len = q.shape[:2]
    q_unpad, indices, cu_seqlens, max_s = unpad_input(q, attention_mask)
    k_unpad, _, _, _ = unpad_input(k, attention_mask)
    v_unpad, _, _, _ = unpad_input(v, attention_mask)
    out_unpad = flash_attn_varlen_func(q_unpad, k_unpad, v_unpad, cu_seqlens, cu_seqlens, max_s, max_s, causal=True)
    return pad_input(out_unpad, indices, bsz, q_len)


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, position_ids=None):
        raise NotImplementedError("replaced by the flash-attention patch")


def flash_attn_forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None, position_ids=None):
    bsz, q_len, _ = hidden_states.size()
    q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    attn_output = _padded_flash_attention(q, k, v, attention_mask) if attention_mask is not None else flash_attn_func(q, k, v, 0.0, softmax_scale=None, causal=True)
    return self.o_proj(attn_output.reshape(bsz, q_len, -1))


def replace_attn_with_flash_attn():
    LlamaAttention.forward = flash_attn_forward


class LlamaLike(nn.Module):
    def __init__(self, vocab=70, hidden=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(LlamaAttention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed(input_ids)
        for norm, layer in zip(self.norms, self.layers):
            h = h + layer(norm(h), attention_mask=attention_mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_attn_with_flash_attn()
    model = LlamaLike().eval()
    prompt = torch.tensor([[3, 17, 42, 8]])
    batch = torch.tensor([[0, 0, 3, 17, 42, 8], [5, 9, 21, 33, 2, 64]])
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        alone = model(prompt, torch.ones_like(prompt))[0, -1]
        batched = model(batch, mask)[0, -1]
    print(f"last-token logits, left-padded batch vs single prompt: {(alone - batched).abs().max().item():.3e}")
