import torch
from torch import nn


def collate(samples, pad_value=0.0):
    lengths = [s.shape[0] for s in samples]
    T = max(lengths)
    feats = torch.full((len(samples), T, samples[0].shape[1]), pad_value)
    padding_mask = torch.ones(len(samples), T)
    for i, s in enumerate(samples):
        feats[i, : s.shape[0]] = s
        padding_mask[i, s.shape[0]:] = 0.0
    return feats, padding_mask


class SequenceClassifier(nn.Module):
    def __init__(self, d_in=6, d_model=16, nhead=2):
        super().__init__()
        self.inp = nn.Linear(d_in, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d_model, 3)

    def forward(self, feats, padding_mask):
        h = self.layer(self.inp(feats), src_key_padding_mask=padding_mask == 0)
        return self.out(h)


def pad_sensitivity(model, feats, padding_mask, length):
    noisy = feats.clone()
    noisy[0, length:] = 7.0
    a = model(feats, padding_mask)
    b = model(noisy, padding_mask)
    return (a[0, :length] - b[0, :length]).abs().max().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequenceClassifier()
    feats, padding_mask = collate([torch.randn(3, 6), torch.randn(5, 6)])
    model.train()
    d_train = pad_sensitivity(model, feats, padding_mask, 3)
    model.eval()
    with torch.no_grad():
        d_eval = pad_sensitivity(model, feats, padding_mask, 3)
    print(f"real-token change when pad positions change (train / eval): {d_train:.3e} / {d_eval:.3e}")
