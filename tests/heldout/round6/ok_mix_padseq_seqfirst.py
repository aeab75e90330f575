"""pad_sequence gives (S, N); the padding mask is transposed to the (N, S) layout MHA wants."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

PAD = 0


class AttnEncoder(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.attn = nn.MultiheadAttention(dim, heads)  # sequence-first

    def forward(self, seqs):
        padded = pad_sequence(seqs, padding_value=PAD)  # (S, N)
        x = self.emb(padded)  # (S, N, E)
        key_pad = (padded == PAD).t()  # (N, S)
        ctx, _ = self.attn(x, x, x, key_padding_mask=key_pad)
        return ctx


def collate(batch):
    """batch: list of (token list, label) pairs."""
    seqs = [torch.tensor(t, dtype=torch.long) for t, _ in batch]
    labels = torch.tensor([y for _, y in batch])
    return seqs, labels


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = AttnEncoder()
    seqs = [torch.tensor([3, 4, 5, 6]), torch.tensor([7, 8]), torch.tensor([9, 10, 11])]
    out = enc(seqs)
    assert torch.allclose(out[:2, 1], enc(seqs[1:2])[:, 0], atol=1e-5)
    print("layout ok", tuple(out.shape))
