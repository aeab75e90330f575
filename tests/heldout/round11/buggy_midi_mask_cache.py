"""Event-based MIDI language model (note-on / note-off / time-shift tokens)."""
import torch
import torch.nn as nn


class MaskCache:
    def __init__(self):
        self._store = {}

    def __call__(self, length, device):
        key = (length, str(device))
        if key not in self._store:
            self._store[key] = torch.tril(torch.ones(length, length, device=device))
        return self._store[key]


class MidiTransformer(nn.Module):
    def __init__(self, n_events=388, d_model=256, nhead=8, nlayers=4, max_len=1024):
        super().__init__()
        self.embed = nn.Embedding(n_events, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        block = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1,
                                           activation="gelu", batch_first=True)
        self.body = nn.TransformerEncoder(block, nlayers)
        self.out = nn.Linear(d_model, n_events)
        self.masks = MaskCache()

    def forward(self, events):
        T = events.size(1)
        x = self.embed(events) + self.pos(torch.arange(T, device=events.device))
        x = self.body(x, mask=self.masks(T, events.device))  # expect: ML202
        return self.out(x)

    @torch.no_grad()
    def continue_piece(self, primer, steps=16, temperature=1.0):
        seq = primer
        for _ in range(steps):
            logits = self(seq)[:, -1] / temperature
            nxt = torch.multinomial(logits.softmax(-1), 1)
            seq = torch.cat([seq, nxt], dim=1)
        return seq


if __name__ == "__main__":
    model = MidiTransformer()
    events = torch.randint(0, 388, (2, 64))
    loss = nn.functional.cross_entropy(model(events[:, :-1]).transpose(1, 2), events[:, 1:])
    loss.backward()
    model.eval()
    print(loss.item(), model.continue_piece(events[:1, :8]).shape)
