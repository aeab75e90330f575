"""Translation batch object that owns its masks; the model reads them by name."""
import torch
import torch.nn as nn


class Batch:
    """Holds src/tgt ids; masks follow nn.Transformer's convention (True = padding / blocked)."""

    def __init__(self, src, tgt, pad=0):
        self.src = src
        self.tgt_in, self.tgt_out = tgt[:, :-1], tgt[:, 1:]
        self.src_mask = src == pad
        self.tgt_pad_mask = self.tgt_in == pad
        T = self.tgt_in.size(1)
        self.tgt_mask = torch.ones(T, T, dtype=torch.bool, device=src.device).triu(1)
        self.ntokens = int((self.tgt_out != pad).sum())


class Translator(nn.Module):
    def __init__(self, vocab=40, d=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.tf = nn.Transformer(d, nhead, 2, 2, 64, 0.0, batch_first=True)
        self.gen = nn.Linear(d, vocab)

    def forward(self, batch: Batch):
        h = self.tf(
            self.emb(batch.src), self.emb(batch.tgt_in),
            tgt_mask=batch.tgt_mask,
            src_key_padding_mask=batch.src_mask,
            tgt_key_padding_mask=batch.tgt_pad_mask,
            memory_key_padding_mask=batch.src_mask,
        )
        return self.gen(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Translator().train()
    src = torch.tensor([[5, 6, 7, 0, 0], [5, 6, 7, 8, 9]])
    tgt = torch.tensor([[1, 4, 3, 2], [1, 4, 4, 2]])
    full = m(Batch(src, tgt))
    alone = m(Batch(src[:1, :3], tgt[:1]))
    assert torch.allclose(full[0], alone[0], atol=1e-5)
    print("masks ok")
