"""Template-free retrosynthesis: product SMILES -> reactant SMILES with a batch-first nn.Transformer."""
import torch
from torch import nn

SMILES_CHARS = ["<pad>", "<bos>", "<eos>", "."] + list("CNOSPFIBrcnos()=#[]@+-0123456789Hl/\\")
PAD, BOS, EOS = 0, 1, 2
STOI = {c: i for i, c in enumerate(SMILES_CHARS)}


def encode(smiles_list, add_bos=False):
    rows = [([BOS] if add_bos else []) + [STOI[c] for c in s] + [EOS] for s in smiles_list]
    L = max(map(len, rows))
    return torch.tensor([r + [PAD] * (L - len(r)) for r in rows])


class RetroTransformer(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(len(SMILES_CHARS), d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(1, 256, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, 0.1, batch_first=True)
        self.gen = nn.Linear(d_model, len(SMILES_CHARS))

    def forward(self, product, reactant_in):
        src = self.emb(product) + self.pos[:, : product.size(1)]
        tgt = self.emb(reactant_in) + self.pos[:, : reactant_in.size(1)]
        out = self.transformer(
            src, tgt,
            tgt_mask=nn.Transformer.generate_square_subsequent_mask(tgt.size(0), tgt.device, torch.bool),  # expect: ML303
            src_key_padding_mask=product.eq(PAD),
            tgt_key_padding_mask=reactant_in.eq(PAD),
            memory_key_padding_mask=product.eq(PAD),
        )
        return self.gen(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    product = encode(["CC(=O)Oc1ccccc1C(=O)O", "CCOC(C)=O"])
    reactants = encode(["CC(=O)O.Oc1ccccc1C(=O)O", "CCO.CC(=O)O"], add_bos=True)
    model = RetroTransformer()
    try:
        logits = model(product, reactants[:, :-1])
        print("logits", logits.shape)
    except RuntimeError as err:
        print("forward failed:", err)
