"""Grapheme-to-phoneme encoder in the time-major (T x B) layout used by the legacy fairseq-style
trainer this model plugs into."""
import torch
from torch import nn

GRAPHEMES = ["<pad>", "<unk>"] + list("abcdefghijklmnopqrstuvwxyz'-")
PHONES = 42


def collate_words(words, pad=0):
    """Returns tokens laid out (T, B), as the trainer expects."""
    ids = [[GRAPHEMES.index(c) if c in GRAPHEMES else 1 for c in w] for w in words]
    T = max(map(len, ids))
    out = torch.full((T, len(words)), pad, dtype=torch.long)
    for b, seq in enumerate(ids):
        out[: len(seq), b] = torch.tensor(seq)
    return out


class G2PEncoder(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(len(GRAPHEMES), d_model, padding_idx=pad)
        self.pos = nn.Parameter(torch.randn(64, 1, d_model) * 0.02)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 128, 0.0), layers)
        self.ctc = nn.Linear(d_model, PHONES + 1)

    def forward(self, src_tokens):  # (T, B)
        x = self.emb(src_tokens) + self.pos[: src_tokens.size(0)]
        encoder_padding_mask = src_tokens.eq(self.pad)
        x = self.enc(x, src_key_padding_mask=encoder_padding_mask)  # expect: ML304
        return self.ctc(x).log_softmax(-1)  # (T, B, PHONES + 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = G2PEncoder()
    tokens = collate_words(["phoneme", "cat", "through"])
    try:
        print("log-probs", model(tokens).shape)
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", type(err).__name__, err)
