import torch
import torch.nn.functional as F
from torch import nn


class GPT2CrossAttention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_attn = nn.Linear(embed_dim, embed_dim)
        self.c_attn = nn.Linear(embed_dim, 2 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask=None):
        b, t, d = hidden_states.shape
        q = self.q_attn(hidden_states).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).split(d, dim=2)
        k, v = (x.view(b, -1, self.num_heads, self.head_dim).transpose(1, 2) for x in (k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2Block(nn.Module):
    def __init__(self, embed_dim=32):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embed_dim)
        self.ln_cross_attn = nn.LayerNorm(embed_dim)
        self.crossattention = GPT2CrossAttention(embed_dim)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask):
        h = self.ln_cross_attn(hidden_states)
        return hidden_states + self.crossattention(h, encoder_hidden_states, encoder_attention_mask)


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=32, n_layer=2, add_cross_attention=True):
        super().__init__()
        self.add_cross_attention = add_cross_attention
        self.wte = nn.Embedding(vocab_size, embed_dim)
        self.h = nn.ModuleList([GPT2Block(embed_dim) for _ in range(n_layer)])

    def _prepare_encoder_mask(self, encoder_attention_mask, dtype):
        if encoder_attention_mask is None:
            return None
        return encoder_attention_mask[:, None, None, :].bool()

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = self.wte(input_ids)
        if self.add_cross_attention and encoder_hidden_states is not None:
            encoder_attention_mask = None  # BUG
        else:
            encoder_attention_mask = None
        for block in self.h:
            hidden_states = block(hidden_states, encoder_hidden_states, encoder_attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model().eval()
    input_ids = torch.randint(0, 50, (2, 5))
    enc = torch.randn(2, 7, 32)
    enc_mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0]])
    enc2 = enc.clone()
    enc2[1, 4:] = torch.randn(3, 32)
    with torch.no_grad():
        d = (model(input_ids, enc, enc_mask) - model(input_ids, enc2, enc_mask)).abs().max().item()
    print(f"cross-attention: output change when padded encoder states change = {d:.4f}")
