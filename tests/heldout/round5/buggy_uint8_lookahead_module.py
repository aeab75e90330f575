"""Music (MIDI event) transformer decoder; the legacy checkpoint format stores the mask buffer."""
import torch
from torch import nn
from torch.nn import MultiheadAttention as MHA


class EventDecoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, max_len):
        super().__init__()
        self.self_attn = MHA(d_model, n_heads, dropout=0.1)
        self.ff = nn.Sequential(nn.Linear(d_model, 2048), nn.ReLU(), nn.Linear(2048, d_model))
        self.n1 = nn.LayerNorm(d_model)
        self.n2 = nn.LayerNorm(d_model)
        # stored as uint8 so the checkpoint stays loadable by the 2019 TorchScript runtime
        self.register_buffer("look_ahead", torch.triu(torch.ones(max_len, max_len, dtype=torch.uint8), 1))

    def forward(self, x):  # (T, B, D)
        T = x.size(0)
        h = self.n1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=self.look_ahead[:T, :T])  # expect: ML203
        x = x + h
        return x + self.ff(self.n2(x))


class MusicTransformer(nn.Module):
    def __init__(self, n_events=388, d_model=256, n_heads=8, n_layers=4, max_len=512):
        super().__init__()
        self.embed = nn.Embedding(n_events, d_model)
        self.layers = nn.ModuleList(EventDecoderLayer(d_model, n_heads, max_len) for _ in range(n_layers))
        self.fc = nn.Linear(d_model, n_events)

    def forward(self, events):  # (B, T)
        x = self.embed(events).transpose(0, 1)
        for layer in self.layers:
            x = layer(x)
        return self.fc(x).transpose(0, 1)


if __name__ == "__main__":
    model = MusicTransformer(n_layers=1)
    try:
        model(torch.randint(0, 388, (2, 16)))
    except AssertionError as e:
        print("error:", e)
