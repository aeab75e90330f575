import torch
import torch.nn.functional as F
from torch import nn


class GPT2Attention(nn.Module):
    def __init__(self, hidden=32, heads=4, is_cross_attention=False):
        super().__init__()
        self.is_cross_attention = is_cross_attention
        self.num_heads, self.head_dim = heads, hidden // heads
        if is_cross_attention:
            self.c_attn = nn.Linear(hidden, 2 * hidden)
            self.q_attn = nn.Linear(hidden, hidden)
        else:
            self.c_attn = nn.Linear(hidden, 3 * hidden)
        self.c_proj = nn.Linear(hidden, hidden)

    def _split(self, x):
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        is_cross_attention = encoder_hidden_states is not None
        if is_cross_attention:
            query = self._split(self.q_attn(hidden_states))
            key, value = map(self._split, self.c_attn(encoder_hidden_states).split(self.head_dim * self.num_heads, dim=2))
            attention_mask = None  # BUG
            is_causal = False
        else:
            query, key, value = map(self._split, self.c_attn(hidden_states).split(self.head_dim * self.num_heads, dim=2))
            is_causal = attention_mask is None and query.shape[-2] > 1
        out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, is_causal=is_causal)
        return self.c_proj(out.transpose(1, 2).reshape(hidden_states.shape))


class GPT2Block(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.attn = GPT2Attention(hidden)
        self.crossattention = GPT2Attention(hidden, is_cross_attention=True)

    def forward(self, x, encoder_hidden_states, encoder_attention_mask):
        x = x + self.attn(self.ln_1(x))
        return x + self.crossattention(self.ln_2(x), encoder_hidden_states=encoder_hidden_states,
                                       encoder_attention_mask=encoder_attention_mask)


def invert_encoder_mask(encoder_attention_mask):
    return encoder_attention_mask[:, None, None, :].bool()


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GPT2Block().eval()
    x = torch.randn(2, 5, 32)
    enc = torch.randn(2, 7, 32)
    enc_mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    with torch.no_grad():
        out = block(x, enc, invert_encoder_mask(enc_mask))
        enc2 = enc.clone()
        enc2[1, 4:] = torch.randn(3, 32)
        gap = (block(x, enc2, invert_encoder_mask(enc_mask))[1] - out[1]).abs().max().item()
    print(f"decoder output change when padded encoder states are edited = {gap:.4f}")
