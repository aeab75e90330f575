"""Contract-drafting language model with Hugging Face-style 4-D mask plumbing."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_attention_mask(attention_mask, dtype, tgt_len):
    bsz, src_len = attention_mask.shape
    min_value = torch.finfo(dtype).min
    causal = torch.full((tgt_len, src_len), min_value, dtype=dtype).triu(1 + src_len - tgt_len)
    expanded = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_value
    return (causal[None, None] + expanded).clamp(min=min_value)


class LegalDraftAttention(nn.Module):
    def __init__(self, d, heads, impl="sdpa"):
        super().__init__()
        self.heads, self.impl = heads, impl
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.o_proj = nn.Linear(d, d)

    def forward(self, hidden_states, attention_mask):
        B, L, D = hidden_states.shape
        shape = lambda t: t.view(B, L, self.heads, -1).transpose(1, 2)
        q, k, v = shape(self.q_proj(hidden_states)), shape(self.k_proj(hidden_states)), shape(self.v_proj(hidden_states))
        if self.impl == "sdpa":
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        else:
            w = q @ k.transpose(2, 3) / math.sqrt(q.size(-1))
            w = w + attention_mask
            out = w.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, L, D))


class LegalDraftLM(nn.Module):
    def __init__(self, vocab=900, d=32, heads=4, impl="sdpa"):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(LegalDraftAttention(d, heads, impl) for _ in range(2))
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask4d = prepare_4d_causal_attention_mask(attention_mask, h.dtype, input_ids.size(1))
        for layer in self.layers:
            h = h + layer(h, mask4d)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 900, (2, 9))
    att = torch.tensor([[1] * 9, [0, 0, 0] + [1] * 6])
    a = LegalDraftLM(impl="sdpa")
    b = LegalDraftLM(impl="eager")
    b.load_state_dict(a.state_dict())
    la, lb = a(ids, att), b(ids, att)
    print("impls agree", torch.allclose(la[att.bool()], lb[att.bool()], atol=1e-4))
