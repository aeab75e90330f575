"""REMI-token symbolic music LM (bar / position / pitch / duration events).
`forward` is the training path; `sequence_log_likelihood` rescoring is used
to rank candidate continuations from beam search. Both go through `_hidden`,
which owns the causal mask, so the two paths cannot drift apart."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EVENTS = ["<pad>", "Bar"] + [f"Pos_{i}" for i in range(16)] + [f"Pitch_{p}" for p in range(60, 72)] + \
         [f"Dur_{d}" for d in (1, 2, 4, 8)]
EV = {e: i for i, e in enumerate(EVENTS)}


class REMITransformer(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(len(EVENTS), d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.transformer = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True), layers,
            enable_nested_tensor=False)
        self.out = nn.Linear(d, len(EVENTS))

    def embed(self, events):
        return self.tok(events) + self.pos(torch.arange(events.size(1)))

    def _hidden(self, events):
        causal = nn.Transformer.generate_square_subsequent_mask(events.size(1))
        return self.transformer(self.embed(events), mask=causal, is_causal=True)

    def forward(self, events):
        return self.out(self._hidden(events))

    @torch.no_grad()
    def sequence_log_likelihood(self, events):
        h = self._hidden(events)
        logp = F.log_softmax(self.out(h[:, :-1]), -1)
        return logp.gather(-1, events[:, 1:, None]).squeeze(-1).sum(-1)


def teacher_forced_log_likelihood(model, events):
    logp = F.log_softmax(model(events)[:, :-1], -1)
    return logp.gather(-1, events[:, 1:, None]).squeeze(-1).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = REMITransformer().eval()
    bar = [EV["Bar"], EV["Pos_0"], EV["Pitch_60"], EV["Dur_4"], EV["Pos_4"], EV["Pitch_64"], EV["Dur_4"]]
    events = torch.tensor([bar])
    with torch.no_grad():
        ref = teacher_forced_log_likelihood(model, events)
        alt = events.clone()
        alt[0, -1] = EV["Dur_8"]
        h_a, h_b = model(events), model(alt)
    score = model.sequence_log_likelihood(events)
    assert abs(ref.item() - score.item()) < 1e-4
    assert (h_a[:, :-1] - h_b[:, :-1]).abs().max() < 1e-5
    model.train()
    assert abs(teacher_forced_log_likelihood(model, events).item() - ref.item()) < 1e-4
    print("ok: both paths causal and equal:", score.item())
