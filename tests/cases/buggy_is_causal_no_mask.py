"""Music-token LM: stack of encoder layers used as a causal decoder."""
import torch.nn as nn


class MidiLM(nn.Module):
    def __init__(self, n_events=388, d_model=64, nhead=4, n_layers=3):
        super().__init__()
        self.embed = nn.Embedding(n_events, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True) for _ in range(n_layers)
        )
        self.head = nn.Linear(d_model, n_events)

    def forward(self, events, event_pad=None):
        h = self.embed(events)
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=event_pad, is_causal=True)  # expect: ML402
        return self.head(h)
