import torch
import torch.nn as nn


def chunk_window_mask(seq_len, left_context):
    idx = torch.arange(seq_len)
    rel = idx[None, :] - idx[:, None]
    allowed = (rel <= 0) & (rel >= -left_context)
    return torch.zeros(seq_len, seq_len).masked_fill(~allowed, float("-inf"))


class StreamingEncoder(nn.Module):
    def __init__(self, feat_dim=20, d_model=32, nhead=4, num_layers=2, left_context=3):
        super().__init__()
        self.left_context = left_context
        self.input_proj = nn.Linear(feat_dim, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        ])

    def forward(self, feats):
        x = self.input_proj(feats)
        mask = chunk_window_mask(x.size(1), self.left_context)
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = StreamingEncoder().train()
    feats = torch.randn(2, 16, 20)
    edited = feats.clone()
    edited[:, :4] += torch.randn(2, 4, 20)
    with torch.no_grad():
        d = (enc(feats)[:, 12:] - enc(edited)[:, 12:]).abs().max().item()
    print(f"frames 12.. change when frames 0..3 (outside the 3-frame window, 2 layers) change = {d:.4f}")
