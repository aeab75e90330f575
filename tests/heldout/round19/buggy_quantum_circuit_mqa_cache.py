"""Autoregressive model over quantum-circuit gate tokens (e.g. 'h q0', 'cx q0 q1', 'rz(pi/4) q2') used to
propose circuit continuations during architecture search. Multi-query attention with a KV cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F

GATES = ["h", "x", "y", "z", "s", "t", "sdg", "tdg", "rx", "ry", "rz", "cx", "cz", "swap", "measure"]


def gate_vocab(n_qubits):
    toks = ["<bos>", "<eos>"]
    for g in GATES:
        if g in ("cx", "cz", "swap"):
            toks += [f"{g} q{a} q{b}" for a in range(n_qubits) for b in range(n_qubits) if a != b]
        else:
            toks += [f"{g} q{a}" for a in range(n_qubits)]
    return toks


class MultiQueryAttention(nn.Module):
    """n_heads query heads share one key/value head."""

    def __init__(self, d, n_heads):
        super().__init__()
        self.h, self.dh = n_heads, d // n_heads
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * self.dh, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, past=None):
        B, T, _ = x.shape
        q = self.q(x).view(B, T, self.h, self.dh).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, 1, self.dh).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k.expand(-1, self.h, -1, -1), v.expand(-1, self.h, -1, -1), is_causal=True)  # BUG: with a cache the queries are the last T of S keys, but is_causal aligns the triangle top-left: a one-token decode step only sees key 0
        return self.o(y.transpose(1, 2).reshape(B, T, -1)), (k, v)


class CircuitLM(nn.Module):
    def __init__(self, n_qubits=4, d=64, n_heads=4, layers=2, max_len=128):
        super().__init__()
        self.vocab = gate_vocab(n_qubits)
        self.emb = nn.Embedding(len(self.vocab), d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(MultiQueryAttention(d, n_heads) for _ in range(layers))
        self.norm = nn.ModuleList(nn.RMSNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, len(self.vocab), bias=False)

    def forward(self, ids, past=None):
        start = 0 if past is None else past[0][0].size(2)
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1), device=ids.device))
        present = []
        for i, (norm, att) in enumerate(zip(self.norm, self.attn)):
            h, kv = att(norm(x), None if past is None else past[i])
            x = x + h
            present.append(kv)
        return self.head(x), present


@torch.no_grad()
def propose(model, prefix_ids, max_gates=12):
    model.eval()
    logits, past = model(prefix_ids)
    out = prefix_ids
    eos = model.vocab.index("<eos>")
    for _ in range(max_gates):
        nxt = logits[:, -1:].argmax(-1)
        out = torch.cat([out, nxt], 1)
        if (nxt == eos).all():
            break
        logits, past = model(nxt, past)
    return [[model.vocab[i] for i in row] for row in out.tolist()]


if __name__ == "__main__":
    lm = CircuitLM()
    v = lm.vocab
    prefix = torch.tensor([[v.index("<bos>"), v.index("h q0"), v.index("cx q0 q1")]])
    print(propose(lm, prefix, 5))
