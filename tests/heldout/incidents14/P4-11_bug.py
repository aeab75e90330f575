import torch
from torch import nn


def flash_attention_forward(module, query, key, value, attention_mask, is_causal=False, **kwargs):
    """Stand-in for the FA2 integration: takes a 2D padding mask (1 = token) and a causal flag."""
    q_len, k_len = query.shape[-2], key.shape[-2]
    allowed = torch.ones(q_len, k_len, dtype=torch.bool, device=query.device)
    if is_causal:
        allowed = allowed.tril(k_len - q_len)
    if attention_mask is not None:
        allowed = allowed & attention_mask.bool()[:, None, None, :]
    out = nn.functional.scaled_dot_product_attention(query, key, value, attn_mask=allowed)
    return out.transpose(1, 2), None


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=16, num_heads=2, is_cross_attention=False):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        self.is_causal = not is_cross_attention
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        query_states, key_states, value_states = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
        shape = (*hidden_states.shape[:-1], -1, self.head_dim)
        query_states = query_states.view(shape).transpose(1, 2)
        key_states = key_states.view(shape).transpose(1, 2)
        value_states = value_states.view(shape).transpose(1, 2)

        is_causal = attention_mask is None and query_states.shape[-2] > 1 and not self.is_cross_attention  # BUG

        attn_output, attn_weights = flash_attention_forward(
            self, query_states, key_states, value_states, attention_mask, is_causal=is_causal
        )
        attn_output = attn_output.reshape(*attn_output.shape[:-2], -1).contiguous()
        return self.c_proj(attn_output)


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=40, n_embd=16, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(32, n_embd)
        self.h = nn.ModuleList([GPT2Attention(n_embd) for _ in range(n_layer)])

    def forward(self, input_ids, attention_mask=None):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else \
            torch.arange(input_ids.shape[1])[None]
        hidden_states = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, attention_mask=attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model().eval()
    prompt = torch.tensor([[7, 3, 9, 4, 2]])
    left_padded = torch.tensor([[0, 0, 7, 3, 9, 4, 2]])
    with torch.no_grad():
        alone = model(prompt)
        batched = model(left_padded, attention_mask=torch.tensor([[0, 0, 1, 1, 1, 1, 1]]))
    print(f"left-padded vs unpadded prompt states, max diff: {(alone - batched[:, 2:]).abs().max().item():.4f}")
