"""Learns to continue Rubik's cube solution sequences in Singmaster notation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

FACES = "URFDLB"
MOVES = [f + s for f in FACES for s in ("", "'", "2")]
SPECIAL = ["<pad>", "<bos>", "<eos>"]
ITOS = SPECIAL + MOVES
STOI = {s: i for i, s in enumerate(ITOS)}


class SolverLM(nn.Module):
    def __init__(self, d_model=64, nhead=4, num_layers=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(len(ITOS), d_model, padding_idx=STOI["<pad>"])
        self.pos = nn.Parameter(torch.randn(max_len, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, len(ITOS))

    def forward(self, ids):
        L = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=ids.device)
        h = self.tok(ids) + self.pos[:L]
        h = self.stack(h, mask=causal, is_causal=True)
        return self.out(h)


def encode(seq):
    return [STOI["<bos>"]] + [STOI[m] for m in seq.split()] + [STOI["<eos>"]]


@torch.no_grad()
def complete(model, prefix, max_moves=20):
    model.eval()
    ids = torch.tensor([encode(prefix)[:-1]])
    for _ in range(max_moves):
        nxt = model(ids)[0, -1].argmax().item()
        if nxt == STOI["<eos>"]:
            break
        ids = torch.cat([ids, torch.tensor([[nxt]])], dim=1)
    return " ".join(ITOS[i] for i in ids[0, 1:].tolist())


if __name__ == "__main__":
    lm = SolverLM()
    batch = torch.tensor([encode("R U R' U' F2 D")])
    loss = F.cross_entropy(lm(batch[:, :-1]).flatten(0, 1), batch[:, 1:].flatten())
    print(loss.item(), complete(lm, "R U"))
