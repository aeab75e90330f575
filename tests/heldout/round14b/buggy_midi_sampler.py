"""Event-based MIDI performance model (note-on / note-off / time-shift / velocity tokens)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY = 128, 128, 100, 32
VOCAB = NOTE_ON + NOTE_OFF + TIME_SHIFT + VELOCITY + 1   # + <start>
START = VOCAB - 1


def subsequent_mask(size, device=None):
    return torch.triu(torch.full((size, size), float("-inf"), device=device), diagonal=1)


class Block(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model),
                                nn.Dropout(dropout))

    def forward(self, x, attn_mask=None):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.ff(self.ln2(x))


class PerformanceRNNTransformer(nn.Module):
    def __init__(self, d_model=128, n_head=4, n_layer=3, max_len=256, dropout=0.1):
        super().__init__()
        self.max_len = max_len
        self.emb = nn.Embedding(VOCAB, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_head, dropout) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, VOCAB)

    def forward(self, events, attn_mask=None):
        x = self.emb(events) + self.pos(torch.arange(events.size(1), device=events.device))
        for block in self.blocks:
            x = block(x, attn_mask)
        return self.out(self.ln_f(x))


def train_step(model, optimizer, batch):
    inp, tgt = batch[:, :-1], batch[:, 1:]
    logits = model(inp, subsequent_mask(inp.size(1), inp.device))
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


@torch.no_grad()
def generate(model, primer, steps=32, temperature=0.9, greedy=False):
    model.eval()
    seq = primer
    for _ in range(steps):
        logits = model(seq[:, -model.max_len:])  # expect: ML401
        logits = logits[:, -1] / temperature
        nxt = logits.argmax(-1, keepdim=True) if greedy else torch.multinomial(logits.softmax(-1), 1)
        seq = torch.cat([seq, nxt], dim=1)
    return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PerformanceRNNTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    data = torch.randint(0, VOCAB - 1, (4, 65))
    data[:, 0] = START
    print("loss", round(train_step(model, opt, data), 3))
    out = generate(model, data[:1, :8], steps=16)
    print("generated events", out[0, 8:].tolist())
