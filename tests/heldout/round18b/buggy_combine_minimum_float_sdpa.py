"""Piano transcription: spectrogram encoder + autoregressive note-event decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_EVENTS = 200
PAD = 0


class EventSelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, events):
        B, T, D = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        causal_keep = torch.tril(torch.ones(T, T, device=x.device))
        pad_keep = (events != PAD).float()[:, None, None, :]
        keep = torch.minimum(causal_keep, pad_keep)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # BUG: 0/1 float keep mask is added to the scores, nothing is blocked
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class CrossAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, frames):
        return self.mha(x, frames, frames, need_weights=False)[0]


class DecoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.self_attn = EventSelfAttention(d, h)
        self.cross = CrossAttention(d, h)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, events, frames):
        x = x + self.self_attn(self.n1(x), events)
        x = x + self.cross(self.n2(x), frames)
        return x + self.ff(self.n3(x))


class Transcriber(nn.Module):
    def __init__(self, n_mels=40, d=32, h=4, layers=2):
        super().__init__()
        self.frontend = nn.Linear(n_mels, d)
        self.frame_enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, 64, 0.0, batch_first=True), 1, enable_nested_tensor=False)
        self.embed = nn.Embedding(N_EVENTS, d, padding_idx=PAD)
        self.layers = nn.ModuleList(DecoderLayer(d, h) for _ in range(layers))
        self.out = nn.Linear(d, N_EVENTS)

    def forward(self, mel, events):
        frames = self.frame_enc(self.frontend(mel))
        x = self.embed(events)
        for layer in self.layers:
            x = layer(x, events, frames)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transcriber()
    mel = torch.randn(2, 30, 40)
    events = torch.randint(1, N_EVENTS, (2, 12))
    events[0, 9:] = PAD
    logits = model(mel, events[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), events[:, 1:], ignore_index=PAD)
    print("loss", round(loss.item(), 5))
