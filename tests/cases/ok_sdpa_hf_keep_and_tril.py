"""Llama-ish attention with left-padded batched prompts: merged keep mask into SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaishAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, hid = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, -1).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, -1).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, -1).transpose(1, 2)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.ones(q_len, q_len, dtype=torch.bool, device=q.device).tril()
            keep = attention_mask.bool()[:, None, None, :] & causal
            # left padding: pad queries would see nothing; let them attend to themselves
            keep = keep | torch.eye(q_len, dtype=torch.bool, device=q.device)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, hid))


@torch.no_grad()
def generate(model_fn, embed, lm_head, enc, steps=5):
    ids, mask = enc["input_ids"], enc["attention_mask"]
    for _ in range(steps):
        logits = lm_head(model_fn(embed(ids), mask))[:, -1]
        nxt = logits.argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        mask = torch.cat([mask, torch.ones_like(nxt)], dim=1)
    return ids
