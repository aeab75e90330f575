"""SMILES generator (encoder over scaffold tokens, decoder over molecule tokens) with sampling."""
import torch
import torch.nn as nn


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2, pad_idx=0, max_len=64):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d_model, padding_idx=pad_idx)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, 0.0, batch_first=True)
        self.out = nn.Linear(d_model, vocab)

    def embed(self, ids):
        return self.emb(ids) + self.pos[:, : ids.shape[1]]

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[1], dtype=torch.bool)
        src_pad = src == self.pad_idx
        h = self.transformer(
            self.embed(src), self.embed(tgt), tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt == self.pad_idx,
            memory_key_padding_mask=src_pad,
        )
        return self.out(h)

    @torch.no_grad()
    def sample(self, src, bos=1, eos=2, max_new=10):
        tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long)
        for step in range(max_new):
            nxt = torch.multinomial(self(src, tgt)[:, -1].softmax(-1), 1)
            tgt = torch.cat([tgt, nxt], 1)
            if (nxt == eos).all():
                break
        return tgt


def pad_batch(seqs, pad_idx=0):
    L = max(len(s) for s in seqs)
    return torch.tensor([s + [pad_idx] * (L - len(s)) for s in seqs])


def train_step(model, opt, src, tgt):
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=model.pad_idx)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoleculeTransformer()
    src = pad_batch([[5, 6, 7, 8], [9, 10]])
    tgt = pad_batch([[1, 11, 12, 2], [1, 13, 2]])
    print("loss:", train_step(model, torch.optim.Adam(model.parameters()), src, tgt))
    model.eval()
    with torch.no_grad():
        a = model(src, tgt)[1, :3]
        b = model(src[1:, :2], tgt[1:, :3])[0]
    print("pads ignored:", torch.allclose(a, b, atol=1e-5))
