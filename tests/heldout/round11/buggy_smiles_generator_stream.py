"""SMILES language model for de-novo molecule generation, with a streaming sampler."""
from typing import Iterator

import torch
import torch.nn as nn

TOKENS = ["<bos>", "<eos>", "C", "c", "N", "n", "O", "o", "(", ")", "=", "1", "2", "F", "Cl", "S"]
BOS, EOS = 0, 1


class SmilesLM(nn.Module):
    def __init__(self, d=128, heads=4, layers=3, max_len=128):
        super().__init__()
        self.emb = nn.Embedding(len(TOKENS), d)
        self.pos = nn.Embedding(max_len, d)
        self.trunk = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True), layers)
        self.head = nn.Linear(d, len(TOKENS))

    def forward(self, tokens):
        pos = torch.arange(tokens.size(1), device=tokens.device)
        h = self.trunk(self.emb(tokens) + self.pos(pos))  # expect: ML401
        return self.head(h)

    def loss(self, tokens):
        logits = self(tokens[:, :-1])
        return nn.functional.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())


@torch.no_grad()
def stream_tokens(model: SmilesLM, max_len=40, temperature=0.9) -> Iterator[str]:
    model.eval()
    seq = torch.tensor([[BOS]])
    for _ in range(max_len):
        probs = (model(seq)[0, -1] / temperature).softmax(-1)
        nxt = torch.multinomial(probs, 1)
        if nxt.item() == EOS:
            return
        yield TOKENS[nxt.item()]
        seq = torch.cat([seq, nxt[None]], dim=1)


if __name__ == "__main__":
    model = SmilesLM()
    batch = torch.randint(2, len(TOKENS), (8, 30))
    batch[:, 0] = BOS
    l = model.loss(batch)
    l.backward()
    print(l.item(), "".join(stream_tokens(model)))
