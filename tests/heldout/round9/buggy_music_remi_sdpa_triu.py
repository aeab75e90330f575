"""Symbolic music generation over REMI tokens (Bar, Position, Pitch, Velocity, Duration)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

REMI_VOCAB = 96


class REMISelfAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.h, self.dh = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, _ = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=future)  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(B, T, -1))


class REMIDecoder(nn.Module):
    def __init__(self, d_model=32, n_layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(REMI_VOCAB, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(REMISelfAttention(d_model) for _ in range(n_layers))
        self.head = nn.Linear(d_model, REMI_VOCAB)

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1)))
        for layer in self.layers:
            x = x + layer(x)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = REMIDecoder().eval()
    bars = torch.randint(0, REMI_VOCAB, (1, 12))
    with torch.no_grad():
        a = model(bars)
        bars2 = bars.clone()
        bars2[0, -1] = (bars2[0, -1] + 7) % REMI_VOCAB
        b = model(bars2)
    leak = (a[0, 0] - b[0, 0]).abs().max().item()
    print(f"FAILURE SHOWN: logits at step 0 change when the last token changes (diff {leak:.3g})")
