"""Molecular property regression from SMILES tokens."""
import torch
import torch.nn as nn

PAD = 0
TOKENS = ["<pad>", "C", "c", "O", "N", "(", ")", "=", "1", "2", "Cl", "F", "n", "o", "[nH]", "#"]


def tokenize(smiles, width):
    out, i = [], 0
    while i < len(smiles):
        for t in ("[nH]", "Cl"):
            if smiles.startswith(t, i):
                out.append(TOKENS.index(t))
                i += len(t)
                break
        else:
            out.append(TOKENS.index(smiles[i]))
            i += 1
    return out + [PAD] * (width - len(out))


class SmilesRegressor(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(len(TOKENS), d, padding_idx=PAD)
        self.layers = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, 1)

    def forward(self, tokens, keep_mask):
        x = self.emb(tokens)
        for attn, norm in zip(self.layers, self.norms):
            h = norm(x)
            x = x + attn(h, h, h, key_padding_mask=~keep_mask, need_weights=False)[0]
        w = keep_mask.unsqueeze(-1).float()
        return self.out((x * w).sum(1) / w.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = torch.tensor([tokenize(s, 16) for s in ["CCO", "c1ccccc1Cl", "CC(=O)Nc1ccc(O)cc1"[:16]]])
    logp = SmilesRegressor().forward(batch, keep_mask=batch == PAD)  # BUG: keep_mask receives the padding positions (tokens == PAD); forward inverts it for key_padding_mask
    print("logP", [round(v, 4) for v in logp.tolist()])
