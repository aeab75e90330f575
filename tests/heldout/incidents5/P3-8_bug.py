"""SMILES generator: encoder over a scaffold, decoder over the molecule, sampling loop."""
import torch
import torch.nn as nn


class MoleculeGenerator(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2, max_len=40):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        enc = nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0)  # BUG
        dec = nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0)  # BUG
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.out = nn.Linear(d_model, vocab)

    def embed(self, ids):
        return self.emb(ids) + self.pos[:, : ids.shape[1]]

    def encode(self, scaffold):
        return self.encoder(self.embed(scaffold))  # BUG

    def decode(self, tokens, memory, step=None):
        h = self.decoder(self.embed(tokens), memory)  # BUG
        return self.out(h)

    def forward(self, scaffold, tokens):
        return self.decode(tokens, self.encode(scaffold))

    @torch.no_grad()
    def generate(self, scaffold, bos=1, eos=2, max_new=12, temperature=1.0):
        memory = self.encode(scaffold)
        seqs = torch.full((scaffold.shape[0], 1), bos, dtype=torch.long)
        for step in range(max_new):
            logits = self.decode(seqs, memory, step)[:, -1] / temperature
            nxt = torch.multinomial(logits.softmax(-1), 1)
            seqs = torch.cat([seqs, nxt], dim=1)
            if (nxt == eos).all():
                break
        return seqs


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeGenerator().eval()
    scaffold = torch.randint(3, 40, (3, 6))
    tokens = torch.randint(3, 40, (3, 6))
    with torch.no_grad():
        full = model(scaffold, tokens)
        solo = model(scaffold[:1], tokens[:1])
    print("molecules independent:", torch.allclose(full[:1], solo, atol=1e-5))
    print(model.generate(scaffold).shape)
