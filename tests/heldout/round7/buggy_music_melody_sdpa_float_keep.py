"""Melody LM over (pitch, duration) note tokens with a hand-rolled fused-attention
block; batches of different-length phrases come with a 1/0 attention_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NoteAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)

    def forward(self, x, allowed):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, C // self.h).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class MelodyLM(nn.Module):
    def __init__(self, n_pitch=40, n_dur=8, d=32, heads=4, layers=2, max_len=64):
        super().__init__()
        self.pitch = nn.Embedding(n_pitch, d)
        self.dur = nn.Embedding(n_dur, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList([NoteAttention(d, heads) for _ in range(layers)])
        self.ln = nn.ModuleList([nn.LayerNorm(d) for _ in range(layers)])
        self.pitch_head = nn.Linear(d, n_pitch)

    def forward(self, pitch, dur, attention_mask):
        T = pitch.size(1)
        x = self.pitch(pitch) + self.dur(dur) + self.pos(torch.arange(T))
        allowed = torch.tril(torch.ones(T, T)) * attention_mask[:, None, None, :].float()
        for attn, ln in zip(self.attn, self.ln):
            x = x + attn(
                ln(x),
                allowed,  # expect: ML202
            )
        return self.pitch_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MelodyLM().eval()
    pitch = torch.tensor([[10, 12, 14, 15, 17, 19], [20, 22, 24, 0, 0, 0]])
    dur = torch.tensor([[2, 2, 2, 2, 4, 4], [1, 1, 3, 0, 0, 0]])
    attention_mask = (pitch != 0).long()
    with torch.no_grad():
        a = model(pitch, dur, attention_mask)
        p2 = pitch.clone()
        p2[0, 5] = 30  # last note of phrase 0
        b = model(p2, dur, attention_mask)
    leak = (a[0, :5] - b[0, :5]).abs().max().item()
    print("predictions for notes 0..4 moved by note 5:", leak)
    assert leak > 1e-3
