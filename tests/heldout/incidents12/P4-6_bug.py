import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.ln = nn.LayerNorm(d_model)
        self.mha = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.last_attn_weights = None

    def forward(self, x):
        h = self.ln(x)
        out, weights = self.mha(h, h, h, need_weights=True, is_causal=True)  # BUG
        self.last_attn_weights = weights
        x = x + out
        return x + self.mlp(x)


class AttentionProbe(nn.Module):
    def __init__(self, vocab=40, d_model=32, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([CausalSelfAttentionBlock(d_model) for _ in range(depth)])

    def forward(self, tokens):
        x = self.embed(tokens)
        for blk in self.blocks:
            x = blk(x)
        return x

    def attention_maps(self):
        return [blk.last_attn_weights for blk in self.blocks]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AttentionProbe().eval()
    tokens = torch.randint(0, 40, (2, 9))
    try:
        with torch.no_grad():
            model(tokens)
        w = model.attention_maps()[0]
        print(f"attention mass on future keys (layer 0) = {torch.triu(w, 1).sum(-1).mean().item():.3f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
