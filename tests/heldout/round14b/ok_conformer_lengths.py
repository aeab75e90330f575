"""Keyword-spotting encoder over MFCC frames, (T, B, F) layout as produced by the legacy data loader."""
import torch
import torch.nn as nn

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "_unknown_"]


def frames_padding_mask(lengths, max_len):
    """(B, T) bool, True = padded frame."""
    mask = torch.empty(len(lengths), max_len, dtype=torch.bool).fill_(False)
    for i, n in enumerate(lengths):
        mask[i, n:] = True
    return mask


class ConvSubsample(nn.Module):
    def __init__(self, n_mfcc, d_model):
        super().__init__()
        self.proj = nn.Conv1d(n_mfcc, d_model, kernel_size=3, padding=1)

    def forward(self, x):                       # (T, B, F)
        return self.proj(x.permute(1, 2, 0)).permute(2, 0, 1)


class KeywordSpotter(nn.Module):
    def __init__(self, n_mfcc=40, d_model=64, nhead=4, num_layers=2, dropout=0.1):
        super().__init__()
        self.front = ConvSubsample(n_mfcc, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout)     # seq-first
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, len(KEYWORDS))

    def forward(self, feats, lengths):
        """feats: (T, B, n_mfcc); lengths: list of valid frame counts."""
        x = self.front(feats)
        x = torch.cat([self.cls_token.expand(1, x.size(1), -1), x], dim=0)     # (1 + T, B, D)
        pad = frames_padding_mask([n + 1 for n in lengths], x.size(0))          # CLS is never padding
        h = self.encoder(x, src_key_padding_mask=pad)
        return self.head(h[0])


def collate_seq_first(clips):
    lengths = [c.size(0) for c in clips]
    return nn.utils.rnn.pad_sequence(clips), lengths          # (T, B, F)


if __name__ == "__main__":
    torch.manual_seed(0)
    clips = [torch.randn(98, 40), torch.randn(61, 40), torch.randn(80, 40)]
    feats, lengths = collate_seq_first(clips)
    model = KeywordSpotter()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    logits = model(feats, lengths)
    loss = nn.functional.cross_entropy(logits, torch.tensor([0, 8, 10]))
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        print([KEYWORDS[i] for i in model(feats, lengths).argmax(-1).tolist()], round(loss.item(), 3))
