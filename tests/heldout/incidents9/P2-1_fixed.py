import torch
import torch.nn as nn

SEQ_LEN = 8


class TinyDecoder(nn.Module):
    def __init__(self, vocab=32, d_model=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(SEQ_LEN, 1, d_model))
        self.self_attn = nn.MultiheadAttention(d_model, nhead)
        self.ff = nn.Sequential(nn.Linear(d_model, 64), nn.ReLU(), nn.Linear(64, d_model))
        self.head = nn.Linear(d_model, vocab)
        # lower-triangular "look-ahead" mask, built once
        self.register_buffer("attn_mask", nn.Transformer.generate_square_subsequent_mask(SEQ_LEN))

    def forward(self, tokens):  # tokens: (seq_len, batch)
        x = self.emb(tokens) + self.pos[: tokens.size(0)]
        a, _ = self.self_attn(x, x, x, attn_mask=self.attn_mask)
        x = x + a
        x = x + self.ff(x)
        return self.head(x)


def train(model, steps=20):
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        seq = torch.randint(0, 32, (SEQ_LEN + 1, 16))
        inp, tgt = seq[:-1], seq[1:]
        logits = model(inp)
        loss = nn.functional.cross_entropy(logits.reshape(-1, 32), tgt.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyDecoder()
    print("final loss:", round(train(model), 3))
    model.eval()
    x = torch.randint(0, 32, (SEQ_LEN, 2))
    x2 = x.clone()
    x2[-1] = (x2[-1] + 1) % 32
    with torch.no_grad():
        d = (model(x) - model(x2))[:-1].abs().max().item()
    print("earlier logits move when the last token changes:", d)
