"""Conformer-lite acoustic encoder for CTC training on filterbank features."""
import torch
import torch.nn as nn


def length_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    steps = torch.arange(max_len, device=lengths.device)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)


class Subsampler(nn.Module):
    def __init__(self, n_mels: int, d_model: int):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(n_mels, d_model, kernel_size=3, stride=2, padding=1),
            nn.GELU(),
            nn.Conv1d(d_model, d_model, kernel_size=3, stride=2, padding=1),
        )

    def forward(self, feats, feat_lens):
        x = self.conv(feats.transpose(1, 2)).transpose(1, 2)
        out_lens = ((feat_lens - 1) // 2 + 1 - 1) // 2 + 1
        return x, out_lens


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=144, heads=4, layers=4, vocab=32):
        super().__init__()
        self.sub = Subsampler(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, heads, 4 * d_model, dropout=0.1,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.ctc_head = nn.Linear(d_model, vocab)

    def forward(self, feats, feat_lens):
        x, lens = self.sub(feats, feat_lens)
        frames = length_mask(lens, x.size(1))
        h = self.encoder(x, src_key_padding_mask=frames)  # expect: ML101
        logits = self.ctc_head(h).log_softmax(-1)
        return logits, lens


if __name__ == "__main__":
    model = CTCEncoder()
    feats = torch.randn(3, 200, 80)
    feat_lens = torch.tensor([200, 160, 97])
    log_probs, out_lens = model(feats, feat_lens)
    targets = torch.randint(1, 32, (3, 20))
    loss = nn.functional.ctc_loss(log_probs.transpose(0, 1), targets, out_lens,
                                  torch.tensor([20, 15, 10]), zero_infinity=True)
    loss.backward()
    print(log_probs.shape, float(loss))
