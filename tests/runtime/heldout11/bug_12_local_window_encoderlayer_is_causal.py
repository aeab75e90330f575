# EXPECT: bug
"""Streaming speech recognizer: encoder layers with causal sliding-window attention
(each frame sees the last WINDOW frames). Frames are batch-first."""
import torch
import torch.nn as nn

WINDOW = 4


def sliding_window_causal(T, window, device=None):
    idx = torch.arange(T, device=device)
    dist = idx[:, None] - idx[None, :]
    blocked = (dist < 0) | (dist >= window)
    return torch.zeros(T, T, device=device).masked_fill(blocked, float("-inf"))


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=16, d_model=32, nhead=4, num_layers=3, n_classes=12, dropout=0.1):
        super().__init__()
        self.frontend = nn.Sequential(nn.Linear(n_mels, d_model), nn.ReLU(), nn.Dropout(dropout))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout, batch_first=True, norm_first=True)
            for _ in range(num_layers))
        self.ctc_head = nn.Linear(d_model, n_classes)
        self.register_buffer("win_mask", sliding_window_causal(64, WINDOW), persistent=False)

    def forward(self, feats):
        T = feats.size(1)
        x = self.frontend(feats)
        mask = self.win_mask[:T, :T]
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG-SITE
        return self.ctc_head(x).log_softmax(-1)


def run():
    torch.manual_seed(0)
    model = StreamingEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats = torch.randn(2, 20, 16)
    targets = torch.randint(1, 12, (2, 5))
    in_lens = torch.tensor([20, 20])
    tgt_lens = torch.tensor([5, 4])
    ctc = nn.CTCLoss(blank=0)
    model.train()
    logp = model(feats)
    loss = ctc(logp.transpose(0, 1), targets, in_lens, tgt_lens)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(feats)
    return [loss.detach(), ev]
