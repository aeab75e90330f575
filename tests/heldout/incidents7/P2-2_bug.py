"""Audio-frame classifier with nn.TransformerEncoderLayer (batch_first); variable-length
clips are padded and a per-frame validity mask is kept as a float tensor."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FrameEncoder(nn.Module):
    def __init__(self, n_mels=20, d_model=32, nhead=4, n_classes=6):
        super().__init__()
        self.inp = nn.Linear(n_mels, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.cls = nn.Linear(d_model, n_classes)

    def forward(self, feats, frame_mask):
        x = self.inp(feats)
        x = self.layer(x, src_key_padding_mask=frame_mask)  # BUG
        w = frame_mask.unsqueeze(-1)
        pooled = (x * w).sum(1) / w.sum(1)
        return self.cls(pooled)


def pad_clips(clips):
    lengths = [c.shape[0] for c in clips]
    T = max(lengths)
    feats = torch.zeros(len(clips), T, clips[0].shape[1])
    frame_mask = torch.ones(len(clips), T)
    for i, c in enumerate(clips):
        feats[i, : c.shape[0]] = c
        frame_mask[i, c.shape[0]:] = 0.0
    return feats, frame_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FrameEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    clips = [torch.randn(12, 20), torch.randn(9, 20), torch.randn(12, 20)]
    feats, frame_mask = pad_clips(clips)
    labels = torch.tensor([1, 4, 2])

    model.train()
    loss = F.cross_entropy(model(feats, frame_mask), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", loss.item())

    model.eval()
    with torch.no_grad():
        full = model(feats, frame_mask)
        alone = model(feats[1:2, :9], frame_mask[1:2, :9])
    print("padded vs unpadded sample 1:", (full[1] - alone[0]).abs().max().item())
