# EXPECT: bug the key_padding_mask is computed from the time-major (T x B) token tensor, so nn.MultiheadAttention receives a transposed mask; with B == T no shape error is raised and each sample is masked by another sample's padding.
"""Imitates fairseq / ESPnet speech-style encoders that keep everything time-major
(T x B x C) and call nn.MultiheadAttention with batch_first=False; the collate
function already returns time-major token ids (as in fairseq's speech_to_text
collaters that transpose early)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def collate_time_major(seqs, pad=PAD):
    T = max(len(s) for s in seqs)
    tokens = torch.full((T, len(seqs)), pad, dtype=torch.long)  # T x B
    for b, s in enumerate(seqs):
        tokens[: len(s), b] = s
    return tokens


class ConformerLikeLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.ln_att = nn.LayerNorm(d)
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.ln_conv = nn.LayerNorm(d)
        self.depthwise = nn.Conv1d(d, d, kernel_size=3, padding=1, groups=d)
        self.ln_ff = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Dropout(dropout), nn.Linear(2 * d, d))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        h = self.ln_att(x)
        h, _ = self.self_attn(h, h, h, key_padding_mask=encoder_padding_mask)  # BUG-SITE
        x = x + self.dropout(h)
        c = self.ln_conv(x).masked_fill(encoder_padding_mask.unsqueeze(-1), 0.0)  # T x B x 1
        c = self.depthwise(c.permute(1, 2, 0)).permute(2, 0, 1)
        x = x + self.dropout(c)
        return x + 0.5 * self.ff(self.ln_ff(x))


class Encoder(nn.Module):
    def __init__(self, vocab=30, d=32, heads=4, layers=2, num_classes=6, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(16, d)
        self.layers = nn.ModuleList([ConformerLikeLayer(d, heads, dropout) for _ in range(layers)])
        self.out = nn.Linear(d, num_classes)

    def forward(self, src_tokens):  # src_tokens: T x B
        T = src_tokens.size(0)
        encoder_padding_mask = src_tokens.eq(PAD)
        x = self.embed(src_tokens) + self.pos(torch.arange(T)).unsqueeze(1)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return self.out(x)  # T x B x C


def run():
    torch.manual_seed(0)
    model = Encoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(8)
    lengths = [6, 3, 5, 2, 6, 4]  # batch of 6, longest sequence 6
    tokens = collate_time_major([torch.randint(1, 30, (n,), generator=g) for n in lengths])
    targets = torch.randint(0, 6, tokens.shape, generator=g).masked_fill(tokens.eq(PAD), -100)

    model.train()
    logits = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, 6), targets.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        t2 = collate_time_major([torch.randint(1, 30, (n,), generator=g) for n in [2, 6, 5, 3, 4, 1]])
        out = model(t2).masked_fill(t2.eq(PAD).unsqueeze(-1), 0.0)
    return [loss.detach(), *grads, out]
