import torch
import torch.nn as nn
import torch.nn.functional as F


def _flash_attention_forward(query, key, value, attention_mask, query_length, is_causal, dropout=0.0):
    """CPU stand-in for flash_attn_varlen_func: attention_mask is the 2D padding mask (1 = token)."""
    keep = attention_mask[:, None, None, :].bool()
    if is_causal:
        q_len, k_len = query.shape[-2], key.shape[-2]
        keep = keep & torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
    return F.scaled_dot_product_attention(query, key, value, attn_mask=keep, dropout_p=dropout)


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=16, num_heads=2, is_cross_attention=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        self.is_causal = not is_cross_attention
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        query, key, value = self.c_attn(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            attention_mask = torch.ones(bsz, q_len, dtype=torch.long)
        is_causal = self.is_causal  # BUG
        attn_output = _flash_attention_forward(query, key, value, attention_mask, q_len, is_causal=is_causal)
        return self.c_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=50, n_embd=16, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(32, n_embd)
        self.h = nn.ModuleList(GPT2Attention(n_embd) for _ in range(n_layer))

    def forward(self, input_ids, attention_mask=None):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        hidden_states = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, attention_mask=attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model().eval()
    input_ids = torch.tensor([[0, 0, 7, 8, 9, 10], [3, 4, 7, 8, 9, 10]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        out = model(input_ids, attention_mask)
        changed = input_ids.clone()
        changed[:, 4:] = 20
        out2 = model(changed, attention_mask)
    print(f"left-padded batch: future leak into positions 0-3: {(out[:, :4] - out2[:, :4]).abs().max().item():.4f}")
