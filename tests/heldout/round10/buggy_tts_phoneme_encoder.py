"""Phoneme encoder + duration predictor for a non-autoregressive TTS model (FastSpeech-like, time-major)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
BUCKETS = (16, 32, 64)


class FFTBlock(nn.Module):
    def __init__(self, d, heads, kernel=9, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=p)
        self.ln1 = nn.LayerNorm(d)
        self.conv1 = nn.Conv1d(d, 2 * d, kernel, padding=kernel // 2)
        self.conv2 = nn.Conv1d(2 * d, d, 1)
        self.ln2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)

    def forward(self, x, pad_mask):
        # x: (T, B, D)
        a, _ = self.attn(x, x, x, key_padding_mask=pad_mask)  # expect: ML304
        x = self.ln1(x + self.drop(a))
        c = x.permute(1, 2, 0)
        c = self.conv2(F.relu(self.conv1(c))).permute(2, 0, 1)
        x = self.ln2(x + self.drop(c))
        return x.masked_fill(pad_mask.unsqueeze(-1), 0.0)


class PhonemeEncoder(nn.Module):
    def __init__(self, n_phones=80, d=64, heads=2, n_blocks=3):
        super().__init__()
        self.emb = nn.Embedding(n_phones, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(max(BUCKETS), 1, d) * 0.02)
        self.blocks = nn.ModuleList(FFTBlock(d, heads) for _ in range(n_blocks))
        self.duration = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 1))

    def forward(self, phones):
        # phones: (B, T) -> time-major for the rest of the stack
        phones = phones.t()
        pad_mask = phones.eq(PAD)
        x = self.emb(phones) + self.pos[: phones.size(0)]
        for blk in self.blocks:
            x = blk(x, pad_mask)
        log_dur = self.duration(x).squeeze(-1)
        return x, log_dur.masked_fill(pad_mask, 0.0)


def bucket_pad(seqs):
    n = max(len(s) for s in seqs)
    L = next(b for b in BUCKETS if b >= n)
    out = torch.full((len(seqs), L), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    utts = [torch.randint(1, 80, (int(n),)).tolist() for n in torch.randint(5, 16, (16,))]
    phones = bucket_pad(utts)
    enc = PhonemeEncoder()
    hidden, log_dur = enc(phones)
    target = torch.log1p(torch.randint(1, 10, log_dur.shape).float()).masked_fill(phones.t().eq(PAD), 0)
    print(hidden.shape, F.mse_loss(log_dur, target).item())
