"""Subtitle line translation (es -> en) with a length budget.

Subtitle lines are short, so source and target are both padded to a fixed
MAX_LEN of 20 subword ids; the fixed shape lets the trainer capture one graph.
"""
import torch
import torch.nn.functional as F
from torch import nn

MAX_LEN, PAD, BOS, EOS = 20, 0, 1, 2


def pad_to(ids, n=MAX_LEN):
    ids = ids[:n]
    return ids + [PAD] * (n - len(ids))


class SubtitleTranslator(nn.Module):
    def __init__(self, src_vocab=800, tgt_vocab=800, d=32, heads=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(MAX_LEN + 1, d)
        self.model = nn.Transformer(d, heads, layers, layers, 4 * d, dropout=0.1, batch_first=True)
        self.proj = nn.Linear(d, tgt_vocab)
        causal = torch.full((MAX_LEN, MAX_LEN), float("-inf")).triu(1)
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, src_ids, tgt_in):
        enc_pad = src_ids.eq(PAD)
        dec_pad = tgt_in.eq(PAD)
        steps = torch.arange(MAX_LEN)
        h = self.model(
            self.src_emb(src_ids) + self.pos(steps),
            self.tgt_emb(tgt_in) + self.pos(steps),
            tgt_mask=self.causal,
            src_key_padding_mask=enc_pad.float().masked_fill(enc_pad, float("-inf")),
            tgt_key_padding_mask=dec_pad.float().masked_fill(dec_pad, float("-inf")),
            memory_key_padding_mask=dec_pad.float().masked_fill(dec_pad, float("-inf")),  # expect: ML503
        )
        return self.proj(h)


def make_batch(pairs):
    src = torch.tensor([pad_to(s) for s, _ in pairs])
    full = [[BOS, *t, EOS] for _, t in pairs]
    tgt_in = torch.tensor([pad_to(t[:-1]) for t in full])
    tgt_out = torch.tensor([pad_to(t[1:]) for t in full])
    return src, tgt_in, tgt_out


if __name__ == "__main__":
    torch.manual_seed(0)
    pairs = [([45, 12, 310, 9, 77, 5, 88, 91, 13, 4, 6], [52, 18, 7]),          # "¿Dónde está...?" -> "Where is it?"
             ([33, 8, 2], [60, 61, 62, 63, 64, 65, 66, 67, 68]),
             ([101, 102, 103, 104, 105], [201, 202, 203, 204])]
    src, tgt_in, tgt_out = make_batch(pairs)
    model = SubtitleTranslator()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.flatten(0, 1), tgt_out.flatten(), ignore_index=PAD)
    loss.backward()
    print("subtitle loss", round(loss.item(), 4))
