"""Chemical reaction prediction (reactant SMILES -> product SMILES), square-padded batches:
reactants and products are both padded to the same max length in the collator."""
import torch
import torch.nn as nn

PAD = 0
MAX_LEN = 24


def collate(pairs):
    def pad(rows):
        return torch.tensor([r + [PAD] * (MAX_LEN - len(r)) for r in rows])
    return pad([p[0] for p in pairs]), pad([p[1] for p in pairs])


class ReactionTransformer(nn.Module):
    def __init__(self, vocab=64, d=128, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, MAX_LEN, d))
        self.model = nn.Transformer(d, heads, layers, layers, 4 * d, 0.1, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, reactants, products_in):
        src_pad = reactants.eq(PAD)
        causal = torch.triu(torch.ones(MAX_LEN, MAX_LEN, dtype=torch.bool), 1)
        out = self.model(
            self.emb(reactants) + self.pos,
            self.emb(products_in) + self.pos,
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=src_pad,  # expect: ML503
            memory_key_padding_mask=src_pad,
        )
        return self.head(out)


if __name__ == "__main__":
    m = ReactionTransformer()
    r, p = collate([([5, 6, 7, 8, 9], [5, 6, 7]), ([3, 4], [3, 4, 5, 6, 7, 8, 9, 10])])
    print(m(r, p).shape)
