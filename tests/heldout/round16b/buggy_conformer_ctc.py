import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2dSubsampling(nn.Module):
    def __init__(self, n_mels, d_model):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, d_model, 3, 2), nn.ReLU(), nn.Conv2d(d_model, d_model, 3, 2), nn.ReLU()
        )
        self.out = nn.Linear(d_model * (((n_mels - 1) // 2 - 1) // 2), d_model)

    def forward(self, feats, lengths):
        x = self.conv(feats.unsqueeze(1))
        b, c, t, f = x.shape
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        lengths = ((lengths - 1) // 2 - 1) // 2
        return x, lengths


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=40, d_model=64, nhead=4, num_layers=2, vocab=30):
        super().__init__()
        self.subsample = Conv2dSubsampling(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.ctc_head = nn.Linear(d_model, vocab)

    def padding_mask(self, lengths, max_len):
        mask = torch.zeros(lengths.size(0), max_len, device=lengths.device)
        for i, n in enumerate(lengths.tolist()):
            mask[i, n:] = 1.0
        return mask

    def forward(self, feats, feat_lengths):
        x, lengths = self.subsample(feats, feat_lengths)
        pad = self.padding_mask(lengths, x.size(1))
        x = self.encoder(x, src_key_padding_mask=pad)  # expect: ML201
        return self.ctc_head(x).log_softmax(-1), lengths

    def loss(self, feats, feat_lengths, targets, target_lengths):
        log_probs, out_lengths = self(feats, feat_lengths)
        return F.ctc_loss(log_probs.transpose(0, 1), targets, out_lengths, target_lengths, zero_infinity=True)


if __name__ == "__main__":
    model = CTCEncoder()
    feats = torch.randn(3, 120, 40)
    lens = torch.tensor([120, 90, 64])
    tgt = torch.randint(1, 30, (3, 10))
    print(model.loss(feats, lens, tgt, torch.tensor([10, 8, 6])).item())
