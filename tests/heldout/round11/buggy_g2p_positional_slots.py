"""Grapheme-to-phoneme seq2seq; words and pronunciations are padded to one fixed width."""
import torch
import torch.nn as nn

WIDTH = 24
GRAPHEMES = "_abcdefghijklmnopqrstuvwxyz'"
PHONEMES = ["_", "<s>", "</s>"] + "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split()


class G2P(nn.Module):
    def __init__(self, d=128, heads=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(len(GRAPHEMES), d, padding_idx=0)
        self.tgt_emb = nn.Embedding(len(PHONEMES), d, padding_idx=0)
        self.pos = nn.Parameter(torch.randn(WIDTH, d) * 0.02)
        self.model = nn.Transformer(d, heads, layers, layers, 256, 0.1, batch_first=True)
        self.proj = nn.Linear(d, len(PHONEMES))
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(WIDTH))

    def forward(self, graphemes, phonemes_in):
        src = self.src_emb(graphemes) + self.pos
        tgt = self.tgt_emb(phonemes_in) + self.pos
        out = self.model(src, tgt, self.causal)  # expect: ML501
        return self.proj(out)


def encode_word(word):
    ids = [GRAPHEMES.index(c) for c in word]
    return ids + [0] * (WIDTH - len(ids))


def encode_pron(pron):
    ids = [1] + [PHONEMES.index(p) for p in pron.split()] + [2]
    return ids + [0] * (WIDTH + 1 - len(ids))


if __name__ == "__main__":
    lexicon = {"cat": "K AE T", "phone": "F OW N", "through": "TH R UW", "yes": "Y EH S"}
    src = torch.tensor([encode_word(w) for w in lexicon])
    tgt = torch.tensor([encode_pron(p) for p in lexicon.values()])
    model = G2P()
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=0)
    loss.backward()
    print(loss.item())
