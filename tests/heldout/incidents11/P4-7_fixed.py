import torch
import torch.nn as nn


def sliding_window_causal_mask(seq_len, window, device=None):
    i = torch.arange(seq_len, device=device)[:, None]
    j = torch.arange(seq_len, device=device)[None, :]
    allowed = (j <= i) & (i - j < window)
    return torch.zeros(seq_len, seq_len, device=device).masked_fill(~allowed, float("-inf"))


class LocalAttentionLM(nn.Module):
    def __init__(self, vocab=64, d_model=32, nhead=4, nlayers=1, window=3):
        super().__init__()
        self.window = window
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, idx):
        mask = sliding_window_causal_mask(idx.shape[1], self.window, idx.device)
        h = self.encoder(self.embed(idx), mask=mask, is_causal=False)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LocalAttentionLM().train()
    idx = torch.randint(0, 64, (2, 10))
    alt = idx.clone()
    alt[:, 0] = (alt[:, 0] + 5) % 64
    out = model(idx)
    out2 = model(alt)
    print(f"training: last position change when a token outside its window changes: {(out[:, -1] - out2[:, -1]).abs().max().item():.3e}")
