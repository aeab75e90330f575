# EXPECT: bug
"""Keyword-spotting model: log-mel frames -> self-attention -> masked mean pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def frame_validity(n_frames: torch.Tensor, max_frames: int) -> torch.Tensor:
    """(N, T) tensor, True where the frame index is inside the clip."""
    steps = torch.arange(max_frames, device=n_frames.device)
    return steps.unsqueeze(0) < n_frames.unsqueeze(1)


class KeywordSpotter(nn.Module):
    def __init__(self, n_mels=12, d_model=32, n_heads=4, n_keywords=5, p=0.1):
        super().__init__()
        self.frontend = nn.Linear(n_mels, d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=p, batch_first=True)
        self.norm = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(p)
        self.classifier = nn.Linear(d_model, n_keywords)

    def forward(self, mel, n_frames):
        valid = frame_validity(n_frames, mel.size(1))
        h = self.frontend(mel)
        ctx, _ = self.attn(h, h, h, key_padding_mask=valid, need_weights=False)  # BUG-SITE
        h = self.norm(h + self.drop(ctx))
        w = valid.unsqueeze(-1).to(h.dtype)
        pooled = (h * w).sum(1) / w.sum(1)
        return self.classifier(pooled)


def run():
    torch.manual_seed(0)
    model = KeywordSpotter()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    mel = torch.randn(3, 10, 12)
    n_frames = torch.tensor([10, 10, 7])  # only the last clip is shorter
    labels = torch.tensor([1, 4, 2])

    model.train()
    loss = F.cross_entropy(model(mel, n_frames), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(mel, n_frames)
    return [loss.detach(), logits]
