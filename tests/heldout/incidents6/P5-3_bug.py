"""GPT-2 with optional cross-attention (encoder-decoder usage), SDPA attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CrossAttention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.q_attn = nn.Linear(n_embd, n_embd)
        self.c_attn = nn.Linear(n_embd, 2 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask=None):
        B, T, C = hidden_states.shape
        S = encoder_hidden_states.shape[1]
        q = self.q_attn(hidden_states).view(B, T, self.n_head, -1).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).split(C, dim=2)
        k = k.view(B, S, self.n_head, -1).transpose(1, 2)
        v = v.view(B, S, self.n_head, -1).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = nn.MultiheadAttention(n_embd, n_head, batch_first=True)
        self.ln_cross = nn.LayerNorm(n_embd)
        self.crossattention = CrossAttention(n_embd, n_head)

    def forward(self, x, causal_mask, encoder_hidden_states, encoder_attention_mask):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=causal_mask, need_weights=False)[0]
        x = x + self.crossattention(self.ln_cross(x), encoder_hidden_states, encoder_attention_mask)
        return x


class GPT2WithCrossAttention(nn.Module):
    def __init__(self, vocab=64, n_embd=32, n_head=4, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(64, n_embd)
        self.h = nn.ModuleList([Block(n_embd, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask=None):
        T = input_ids.size(1)
        x = self.wte(input_ids) + self.wpe(torch.arange(T))
        causal_mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        if encoder_attention_mask is not None:
            encoder_attention_mask = encoder_attention_mask.bool()[:, None, None, :]
        encoder_attention_mask = None  # BUG
        for block in self.h:
            x = block(x, causal_mask, encoder_hidden_states, encoder_attention_mask)
        return self.ln_f(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2WithCrossAttention()
    enc = torch.randn(2, 9, 32)
    enc_mask = torch.tensor([[1] * 9, [1] * 5 + [0] * 4])
    ids = torch.randint(0, 64, (2, 5))
    print(model(ids, enc, enc_mask).shape)
