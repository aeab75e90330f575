import torch
import torch.nn as nn


class DecoderOnlyLM(nn.Module):
    """GPT-style LM built from nn.TransformerEncoderLayer blocks."""

    def __init__(self, vocab_size=40, d_model=8, nhead=2, num_layers=2, max_len=32):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.0,
                                       batch_first=True, norm_first=True)
            for _ in range(num_layers)
        ])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx):
        B, T = idx.shape
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(T, device=idx.device))
        causal_mask = None  # BUG
        for layer in self.layers:
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return self.head(self.ln_f(x))

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits = self(idx)[:, -1, :]
            idx = torch.cat([idx, logits.argmax(-1, keepdim=True)], dim=1)
        return idx


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DecoderOnlyLM().eval()
    idx = torch.randint(0, 40, (2, 6))
    edited = idx.clone()
    edited[:, 3:] = torch.randint(0, 40, (2, 3))
    with torch.no_grad():
        leak = (model(idx) - model(edited))[:, :3].abs().max().item()
    print(f"eval future leak into logits of positions 0-2: {leak:.4f}")
