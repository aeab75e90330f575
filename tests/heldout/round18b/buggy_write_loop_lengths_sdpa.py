"""Conformer-lite ASR encoder with CTC head; frames beyond each utterance length are padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lengths_after_subsampling(lengths, factor=2):
    return torch.div(lengths - 1, factor, rounding_mode="floor") + 1


class MHSA(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)

    def forward(self, x, pad):
        B, T, D = x.shape
        q, k, v = self.in_proj(x).view(B, T, 3, self.heads, -1).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # BUG: pad is True on padded frames; SDPA attends True
        return self.out_proj(y.transpose(1, 2).reshape(B, T, D))


class ConvModule(nn.Module):
    def __init__(self, d, k=7):
        super().__init__()
        self.dw = nn.Conv1d(d, d, k, padding=k // 2, groups=d)
        self.norm = nn.BatchNorm1d(d)

    def forward(self, x):
        return F.silu(self.norm(self.dw(x.transpose(1, 2)))).transpose(1, 2)


class ConformerLite(nn.Module):
    def __init__(self, n_mels=40, d=32, heads=4, blocks=2, vocab=30):
        super().__init__()
        self.subsample = nn.Conv1d(n_mels, d, 3, stride=2, padding=1)
        self.attn = nn.ModuleList(MHSA(d, heads) for _ in range(blocks))
        self.conv = nn.ModuleList(ConvModule(d) for _ in range(blocks))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(blocks))
        self.ctc = nn.Linear(d, vocab)

    def forward(self, feats, feat_lens):
        x = self.subsample(feats.transpose(1, 2)).transpose(1, 2)
        lens = lengths_after_subsampling(feat_lens)
        B, T, _ = x.shape
        pad = torch.zeros(B, T, dtype=torch.bool, device=x.device)
        for i, n in enumerate(lens.tolist()):
            pad[i, n:] = True
        for attn, conv, norm in zip(self.attn, self.conv, self.norms):
            x = x + attn(norm(x), pad)
            x = x + conv(x)
        return self.ctc(x).log_softmax(-1), lens


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ConformerLite().eval()
    feats = torch.randn(3, 40, 40)
    feat_lens = torch.tensor([40, 31, 18])
    logp, lens = model(feats, feat_lens)
    targets = torch.randint(1, 30, (3, 6))
    loss = F.ctc_loss(logp.transpose(0, 1), targets, lens, torch.full((3,), 6))
    print("ctc", round(loss.item(), 5))
