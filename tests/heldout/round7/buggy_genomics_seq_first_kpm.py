"""k-mer DNA language model trained with a torchtext-era pipeline: batches are
collated sequence-first (L, N) and the encoder runs with batch_first=False."""
import itertools

import torch
import torch.nn as nn

K = 3
KMERS = ["".join(p) for p in itertools.product("ACGT", repeat=K)]
STOI = {"<pad>": 0, "<cls>": 1, "<mask>": 2, **{k: i + 3 for i, k in enumerate(KMERS)}}


def kmerize(seq):
    return [STOI["<cls>"]] + [STOI[seq[i:i + K]] for i in range(len(seq) - K + 1)]


def collate_seq_first(seqs):
    toks = [torch.tensor(kmerize(s)) for s in seqs]
    return nn.utils.rnn.pad_sequence(toks, padding_value=STOI["<pad>"])  # (L, N)


class PromoterClassifier(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_len=128):
        super().__init__()
        self.embed = nn.Embedding(len(STOI), d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0), layers,
                                             enable_nested_tensor=False)
        self.cls = nn.Linear(d, 2)

    def forward(self, tokens):
        L = tokens.size(0)
        x = self.embed(tokens) + self.pos(torch.arange(L))[:, None, :]
        pad = tokens == STOI["<pad>"]
        x = self.encoder(
            x,
            src_key_padding_mask=pad,  # expect: ML304
        )
        return self.cls(x[0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PromoterClassifier()
    batch = collate_seq_first(["TATAAAGGCC", "GGGCGC", "ACGTACGTAC"])
    print("tokens (L, N):", tuple(batch.shape))
    try:
        print(model(batch))
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
