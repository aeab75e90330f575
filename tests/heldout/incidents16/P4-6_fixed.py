"""Causal self-attention probe: returns attention maps for interpretability plots."""
import torch
import torch.nn as nn


class CausalSelfAttentionProbe(nn.Module):
    def __init__(self, vocab_size=50, d_model=32, n_heads=4, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ln = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        t = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(t, device=tokens.device))
        h = self.ln(x)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tokens.device), 1)
        out, weights = self.attn(h, h, h, attn_mask=causal, need_weights=True, is_causal=True)
        return self.head(x + out), weights


def attention_maps(model, tokens):
    """Run the probe in inference mode and return (logits, per-token attention)."""
    model.eval()
    with torch.no_grad():
        return model(tokens)


if __name__ == "__main__":
    torch.manual_seed(0)
    probe = CausalSelfAttentionProbe()
    toks = torch.randint(0, 50, (2, 8))
    logits, maps = attention_maps(probe, toks)
    print("attention mass on future tokens:", maps.triu(1).sum().item())
