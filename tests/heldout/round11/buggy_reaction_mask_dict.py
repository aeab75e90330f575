"""Forward reaction prediction: reactant SMILES tokens -> product SMILES tokens."""
import torch
import torch.nn as nn

PAD, BOS = 0, 1
MAX_LEN = 40


def padding_masks(reactants, products_in):
    return {
        "src": reactants == PAD,
        "tgt": products_in == PAD,
        "causal": torch.triu(torch.ones(products_in.size(1), products_in.size(1), dtype=torch.bool), 1),
    }


class ReactionTransformer(nn.Module):
    def __init__(self, vocab=64, d=128, heads=8, layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(MAX_LEN, d)
        self.core = nn.Transformer(d, heads, layers, layers, 512, 0.1, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def embed_seq(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, reactants, products_in):
        m = padding_masks(reactants, products_in)
        out = self.core(
            self.embed_seq(reactants),
            self.embed_seq(products_in),
            tgt_mask=m["causal"],
            src_key_padding_mask=m["src"],
            tgt_key_padding_mask=m["tgt"],
            memory_key_padding_mask=m["tgt"],  # expect: ML503
        )
        return self.head(out)


def pad_to(seqs, length=MAX_LEN):
    out = torch.full((len(seqs), length), PAD)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s)
    return out


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    reactants = pad_to([torch.randint(2, 64, (n,), generator=g).tolist() for n in (35, 22, 18)])
    products = pad_to([[BOS] + torch.randint(2, 64, (n,), generator=g).tolist() for n in (20, 30, 12)], MAX_LEN + 1)
    model = ReactionTransformer()
    logits = model(reactants, products[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), products[:, 1:], ignore_index=PAD)
    print(loss.item())
