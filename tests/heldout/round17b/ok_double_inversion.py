"""Language identification for song lyrics: characters -> line vectors -> song language."""
import torch
import torch.nn.functional as F
from torch import nn

LANGS = ["en", "es", "pt", "fr", "de", "it", "yo", "sw", "tl"]


def real_chars(char_ids):
    return char_ids != 0


class LyricLangID(nn.Module):
    def __init__(self, n_chars=300, dim=48, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(n_chars, dim)
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.char_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.line_qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, len(LANGS))

    def encode_lines(self, char_ids):
        keep = real_chars(char_ids)
        hidden = ~keep
        x = self.emb(char_ids) * keep.unsqueeze(-1)
        x = x + self.conv(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.char_attn(x, x, x, key_padding_mask=torch.logical_not(~hidden))
        w = (~hidden).unsqueeze(-1).float()
        return (h * w).sum(1) / w.sum(1)

    def forward(self, char_ids, lines_per_song):
        lines = self.encode_lines(char_ids)
        songs = nn.utils.rnn.pad_sequence(lines.split(lines_per_song), batch_first=True)
        n = songs.size(1)
        absent = torch.arange(n)[None, :] >= torch.tensor(lines_per_song)[:, None]
        present = absent.logical_not()
        q, k, v = self.line_qkv(songs).view(len(lines_per_song), n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~~present[:, None, None, :])
        y = y.transpose(1, 2).reshape(len(lines_per_song), n, -1)
        w = present.unsqueeze(-1).float()
        return self.out((y * w).sum(1) / w.sum(1))


def encode_text(lines, n=40):
    out = torch.zeros(len(lines), n, dtype=torch.long)
    for i, line in enumerate(lines):
        ids = [min(ord(c), 299) for c in line[:n]]
        out[i, :len(ids)] = torch.tensor(ids)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    lines = ["Bésame, bésame mucho", "como si fuera esta noche", "Mo fe lo si odo", "Ka ma jo", "la ultima vez"]
    print(LyricLangID()(encode_text(lines), [2, 2, 1]).argmax(-1))
