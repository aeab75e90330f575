# Small CTC acoustic model: conv subsampling + nn.TransformerEncoder.
import torch
import torch.nn as nn


class Conv2dSubsampling(nn.Module):
    """4x time reduction, as in ESPnet / WeNet."""

    def __init__(self, idim: int, odim: int):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, odim, 3, 2), nn.ReLU(),
            nn.Conv2d(odim, odim, 3, 2), nn.ReLU(),
        )
        self.out = nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim)

    def forward(self, feats, feat_lens):
        x = self.conv(feats.unsqueeze(1))                  # (B, C, T', F')
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        out_lens = ((feat_lens - 1) // 2 - 1) // 2
        return x, out_lens


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=256, nhead=4, num_layers=6, vocab=5000):
        super().__init__()
        self.subsample = Conv2dSubsampling(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 1024, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.ctc_head = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lens):
        x, lens = self.subsample(feats, feat_lens)
        B, T, _ = x.shape
        pad_mask = torch.zeros(B, T, device=x.device)
        for i, l in enumerate(lens.tolist()):
            pad_mask[i, l:] = 1.0
        x = self.encoder(
            x,
            src_key_padding_mask=pad_mask,  # expect: ML201
        )
        return self.ctc_head(x).log_softmax(-1), lens


def ctc_step(model, feats, feat_lens, targets, target_lens, optim):
    log_probs, out_lens = model(feats, feat_lens)
    loss = nn.functional.ctc_loss(
        log_probs.transpose(0, 1), targets, out_lens, target_lens, blank=0, zero_infinity=True
    )
    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optim.step()
    return loss.detach()


if __name__ == "__main__":
    m = CTCEncoder()
    feats = torch.randn(2, 200, 80)
    lp, ol = m(feats, torch.tensor([200, 120]))
    print(lp.shape, ol)
