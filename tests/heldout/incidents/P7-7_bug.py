import torch
import torch.nn.functional as F
from torch import nn


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary(x, position_ids, base=10000.0):
    dim = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32, device=x.device) / dim))
    freqs = position_ids[:, None, :, None].float() * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    return x * emb.cos() + rotate_half(x) * emb.sin()


class FastLlamaAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, position_ids, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        Q, K, V = self.qkv(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        Q, K = apply_rotary(Q, position_ids), apply_rotary(K, position_ids)
        A = F.scaled_dot_product_attention(Q, K, V, attn_mask=attention_mask, is_causal=attention_mask is None)
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, -1))


class FastLlamaModel(nn.Module):
    def __init__(self, vocab_size=41, hidden_size=8, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([FastLlamaAttention(hidden_size) for _ in range(num_layers)])
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def prefill(self, input_ids, attention_mask):
        """First forward of generate(): processes the whole (left padded) prompt batch."""
        bsz, q_len = input_ids.shape
        position_ids = torch.arange(q_len, device=input_ids.device).expand(bsz, -1)
        causal_mask = None  # BUG: padding mask dropped in prefill, only is_causal is used
        hidden_states = self.embed_tokens(input_ids)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, position_ids, attention_mask=causal_mask)  # BUG: short prompts attend to left pads
        return self.lm_head(hidden_states[:, -1])


def run():
    model = FastLlamaModel()
    input_ids = torch.tensor([[7, 8, 9, 10, 11], [0, 0, 0, 12, 13]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 0, 1, 1]])
    with torch.no_grad():
        return model.prefill(input_ids, attention_mask)
