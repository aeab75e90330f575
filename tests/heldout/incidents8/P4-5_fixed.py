import torch
import torch.nn as nn


class GPTLike(nn.Module):
    def __init__(self, vocab_size=100, d_model=32, nhead=4, num_layers=2, block_size=64):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Parameter(torch.zeros(1, block_size, d_model))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True, norm_first=False)
            for _ in range(num_layers)
        )
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx):
        x = self.tok_emb(idx) + self.pos_emb[:, : idx.size(1)]
        causal_mask = nn.Transformer.generate_square_subsequent_mask(idx.size(1), device=idx.device)
        for block in self.blocks:
            x = block(x, src_mask=causal_mask, is_causal=True)
        return self.head(self.ln_f(x))


@torch.no_grad()
def next_token_logits(model, idx):
    model.eval()
    return model(idx)[:, -1]


if __name__ == "__main__":
    model = GPTLike()
    idx = torch.randint(0, 100, (2, 10))
    print(next_token_logits(model, idx).shape)
