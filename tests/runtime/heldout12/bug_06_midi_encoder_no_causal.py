# EXPECT: bug
"""MIDI event language model built from nn.TransformerEncoder, trained on next-event prediction."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
N_EVENTS = 24


class MidiLM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=16, p=0.1):
        super().__init__()
        self.event = nn.Embedding(N_EVENTS, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        block = nn.TransformerEncoderLayer(d, heads, 64, dropout=p, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d, N_EVENTS)

    def forward(self, events):
        T = events.size(1)
        h = self.event(events) + self.pos(torch.arange(T, device=events.device))
        h = self.body(h, src_key_padding_mask=events == PAD)  # BUG-SITE
        return self.lm_head(h)


def run():
    torch.manual_seed(0)
    model = MidiLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    seqs = torch.randint(1, N_EVENTS, (3, 10))
    seqs[2, 7:] = PAD  # one shorter piece
    inp, tgt = seqs[:, :-1], seqs[:, 1:]

    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, N_EVENTS), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(inp)
    return [loss.detach(), out[seqs[:, :-1] != PAD]]
