import torch
import torch.nn.functional as F
from torch import nn


def sdpa_mask(batch_size, cache_position, kv_length, attention_mask=None, sliding_window=None):
    q_idx = cache_position[:, None]
    kv_idx = torch.arange(kv_length, device=cache_position.device)[None, :]
    mask = kv_idx <= q_idx
    if sliding_window is not None:
        mask = mask & (kv_idx > q_idx - sliding_window)
    mask = mask[None, None].expand(batch_size, 1, -1, -1)
    if attention_mask is not None:
        mask = mask & attention_mask[:, None, None, :].bool()
        mask = mask | ~mask.any(dim=-1, keepdim=True)
    return mask


class Gemma4Attention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, n, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, scale=1.0)
        return self.o_proj(out.transpose(1, 2).reshape(b, n, -1))


class Gemma4TextModel(nn.Module):
    def __init__(self, vocab_size=128, hidden_size=64, num_layers=2, sliding_window=4):
        super().__init__()
        self.sliding_window = sliding_window
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(Gemma4Attention(hidden_size) for _ in range(num_layers))

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        cache_position = torch.arange(input_ids.shape[1])
        masks = {
            "full_attention": sdpa_mask(h.shape[0], cache_position, h.shape[1], attention_mask),
            "sliding_attention": sdpa_mask(h.shape[0], cache_position, h.shape[1], attention_mask, self.sliding_window),
        }
        for i, layer in enumerate(self.layers):
            h = h + layer(h, masks["sliding_attention" if i % 2 == 0 else "full_attention"])
        return h


if __name__ == "__main__":
    model = Gemma4TextModel().half()
    input_ids = torch.randint(0, 128, (2, 8))
    attention_mask = torch.ones(2, 8, dtype=torch.long)
    attention_mask[1, :5] = 0
    with torch.no_grad():
        out = model(input_ids, attention_mask)
    print(out.shape, torch.isnan(out).any().item())
