import torch
from torch import nn


def _flash_attention_forward(query, key, value, attention_mask, causal, softmax_scale):
    """Stand-in for the varlen flash kernel: padding handled by unpadding, causality by a flag."""
    b, h, q_len, _ = query.shape
    scores = query @ key.transpose(-1, -2) * softmax_scale
    keep = torch.ones(b, 1, q_len, key.shape[2], dtype=torch.bool)
    if attention_mask is not None:
        keep = keep & attention_mask[:, None, None, :].bool()
    if causal:
        keep = keep & torch.ones(q_len, key.shape[2], dtype=torch.bool).tril(key.shape[2] - q_len)
    scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
    return scores.softmax(-1) @ value


class GPT2FlashAttention2(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)
        self.is_causal = True

    def forward(self, hidden_states, attention_mask=None):
        b, s, _ = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        causal = self.is_causal and attention_mask is None and s > 1  # BUG
        out = _flash_attention_forward(q, k, v, attention_mask, causal=causal, softmax_scale=self.head_dim ** -0.5)
        return self.c_proj(out.transpose(1, 2).reshape(b, s, -1))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab=50, n_embd=32, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(64, n_embd)
        self.h = nn.ModuleList([GPT2FlashAttention2(n_embd) for _ in range(n_layer)])
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is not None:
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        else:
            position_ids = torch.arange(input_ids.shape[1])[None]
        x = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            x = x + block(x, attention_mask)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2LMHeadModel().eval()
    short = torch.tensor([[11, 12, 13, 14]])
    batch = torch.tensor([[0, 0, 11, 12, 13, 14], [21, 22, 23, 24, 25, 26]])
    mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        solo = model(short)[0]
        batched = model(batch, mask)[0, 2:]
    print(f"left-padded prompt: max |batched logits - solo logits| over prompt positions = {(batched - solo).abs().max().item():.4f}")
