from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_mask_for_sdpa(attention_mask: Optional[torch.Tensor], seq_len: int, device) -> Optional[torch.Tensor]:
    causal = torch.tril(torch.ones(seq_len, seq_len, device=device, dtype=torch.bool))
    if attention_mask is None:
        return None
    # (B, 1, L, S); 1 = attend
    return causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]


class GemmaSdpaAttention(nn.Module):
    def __init__(self, hidden_size=2048, num_heads=8, head_dim=256):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, head_dim
        self.q_proj = nn.Linear(hidden_size, num_heads * head_dim, bias=False)
        self.k_proj = nn.Linear(hidden_size, head_dim, bias=False)
        self.v_proj = nn.Linear(hidden_size, head_dim, bias=False)
        self.o_proj = nn.Linear(num_heads * head_dim, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, 1, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, 1, self.head_dim).transpose(1, 2)
        k = k.expand(-1, self.num_heads, -1, -1)
        v = v.expand(-1, self.num_heads, -1, -1)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask,
                                             is_causal=attention_mask is None and q_len > 1)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


class GemmaModel(nn.Module):
    def __init__(self, vocab_size=256000, hidden_size=2048, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([GemmaSdpaAttention(hidden_size) for _ in range(num_layers)])

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids) * (self.embed_tokens.embedding_dim ** 0.5)
        mask = prepare_4d_causal_mask_for_sdpa(attention_mask, input_ids.shape[1], input_ids.device)
        for layer in self.layers:
            h = h + layer(h, mask)
        return h


if __name__ == "__main__":
    model = GemmaModel(vocab_size=1000, hidden_size=512)
    ids = torch.randint(0, 1000, (2, 9))
    am = torch.ones(2, 9, dtype=torch.long)
    am[1, :3] = 0
    print(model(ids, am).shape)
