import torch
import torch.nn as nn


class GPTLikeEncoder(nn.Module):
    def __init__(self, vocab=50, d_model=16, nhead=2, num_layers=2, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
            for _ in range(num_layers))
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        t = idx.size(1)
        x = self.tok(idx) + self.pos(torch.arange(t, device=idx.device))
        mask = nn.Transformer.generate_square_subsequent_mask(t, device=idx.device)
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPTLikeEncoder().eval()
    idx = torch.randint(0, 50, (2, 8))
    try:
        with torch.no_grad():
            logits = model(idx)
            idx2 = idx.clone()
            idx2[:, 4:] = torch.randint(0, 50, (2, 4))
            logits2 = model(idx2)
        print(f"eval: future-token leak into positions 0-3: {(logits[:, :4] - logits2[:, :4]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
