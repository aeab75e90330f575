import torch
import torch.nn as nn
import torch.nn.functional as F


class MidiEventLM(nn.Module):
    def __init__(self, n_events=388, d_model=64, nhead=4, num_layers=3, max_seq=512, dropout=0.1):
        super().__init__()
        self.d_model = d_model
        self.event_emb = nn.Embedding(n_events, d_model)
        self.time_emb = nn.Embedding(max_seq, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, num_layers)
        self.norm = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, n_events)

    def forward(self, events):
        pos = torch.arange(events.size(1), device=events.device)
        x = self.event_emb(events) * self.d_model ** 0.5 + self.time_emb(pos)
        mask = nn.Transformer.generate_square_subsequent_mask(events.size(0), device=events.device)  # expect: ML303
        return self.fc(self.norm(self.body(x, mask=mask)))

    def training_step(self, batch):
        inp, tgt = batch[:, :-1], batch[:, 1:]
        logits = self(inp)
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1))

    @torch.no_grad()
    def sample(self, prime, length, temperature=1.0):
        seq = prime
        for _ in range(length):
            logits = self(seq)[:, -1] / temperature
            seq = torch.cat([seq, torch.multinomial(F.softmax(logits, -1), 1)], dim=1)
        return seq


if __name__ == "__main__":
    model = MidiEventLM()
    batch = torch.randint(0, 388, (16, 17))
    print(model.training_step(batch).item())
