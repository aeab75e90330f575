import torch
import torch.nn as nn


class GPTLikeModel(nn.Module):
    """Decoder-only LM built from TransformerEncoderLayer blocks, relying on the is_causal flag."""

    def __init__(self, vocab_size, d_model=8, nhead=2, num_layers=2, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        ])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        causal_mask = nn.Transformer.generate_square_subsequent_mask(idx.size(1), device=idx.device)
        for layer in self.layers:
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return self.head(self.ln_f(x))

    @torch.no_grad()
    def next_token_logits(self, idx):
        return self(idx)[:, -1]


def run():
    model = GPTLikeModel(vocab_size=17)
    model.eval()
    idx = torch.randint(0, 17, (2, 5))
    with torch.no_grad():
        return model(idx)
