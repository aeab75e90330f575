"""Translate SMILES strings into IUPAC-style names (character level)."""
import torch
from torch import nn

SMILES_VOCAB, NAME_VOCAB, PAD = 64, 80, 0


class Smiles2Name(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(SMILES_VOCAB, dim, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(NAME_VOCAB, dim, padding_idx=PAD)
        self.pos = nn.Embedding(256, dim)
        enc_layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.out = nn.Linear(dim, NAME_VOCAB)

    def embed(self, emb, ids):
        return emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, smiles, name_in):
        src_pad = smiles == PAD
        tgt_pad = name_in == PAD
        memory = self.encoder(self.embed(self.src_emb, smiles), src_key_padding_mask=src_pad)
        n = name_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(n, device=smiles.device).bool()
        h = self.decoder(self.embed(self.tgt_emb, name_in), memory, causal, tgt_pad,  # expect: ML501
                         memory_key_padding_mask=src_pad)
        return self.out(h)


def batchify(pairs):
    s_len = max(len(s) for s, _ in pairs)
    t_len = max(len(t) for _, t in pairs)
    src = torch.zeros(len(pairs), s_len, dtype=torch.long)
    tgt = torch.zeros(len(pairs), t_len, dtype=torch.long)
    for i, (s, t) in enumerate(pairs):
        src[i, :len(s)] = torch.tensor(s)
        tgt[i, :len(t)] = torch.tensor(t)
    return src, tgt


if __name__ == "__main__":
    torch.manual_seed(0)
    pairs = [([5, 9, 9, 12, 3], [1, 20, 21, 22, 2]), ([7, 7, 8], [1, 30, 2])]
    src, tgt = batchify(pairs)
    model = Smiles2Name()
    logits = model(src, tgt[:, :-1])
    print(nn.functional.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=PAD))
