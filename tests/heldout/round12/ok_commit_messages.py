"""Commit-message generation from a tokenised diff (batch-first seq2seq).

Causal masks are cached per target length.  Batch size and target length are
deliberately different in the smoke run, as they are in practice.
"""
import functools

import torch
import torch.nn.functional as F
from torch import nn

PAD, BOS, EOS = 0, 1, 2


@functools.lru_cache(maxsize=64)
def subsequent_mask(length: int) -> torch.Tensor:
    return nn.Transformer.generate_square_subsequent_mask(length, dtype=torch.bool)


class DiffToMessage(nn.Module):
    def __init__(self, diff_vocab=2048, msg_vocab=1024, d=32, heads=4, layers=2):
        super().__init__()
        self.diff_emb = nn.Embedding(diff_vocab, d, padding_idx=PAD)
        self.hunk_emb = nn.Embedding(3, d)                  # context, added, removed line
        self.msg_emb = nn.Embedding(msg_vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(512, d)
        self.seq2seq = nn.Transformer(d, heads, layers, layers, 4 * d, dropout=0.1, batch_first=True)
        self.lm_head = nn.Linear(d, msg_vocab)

    def forward(self, diff_ids, hunk_kind, msg_in):
        _, diff_len = diff_ids.shape
        _, msg_len = msg_in.shape
        src = self.diff_emb(diff_ids) + self.hunk_emb(hunk_kind) + self.pos(torch.arange(diff_len))
        tgt = self.msg_emb(msg_in) + self.pos(torch.arange(msg_len))
        diff_pad = diff_ids == PAD
        h = self.seq2seq(src, tgt,
                         tgt_mask=subsequent_mask(msg_len),
                         src_key_padding_mask=diff_pad,
                         tgt_key_padding_mask=msg_in == PAD,
                         memory_key_padding_mask=diff_pad)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    n, diff_len, msg_len = 3, 30, 9
    diff_ids = torch.randint(3, 2048, (n, diff_len))
    diff_ids[1, 22:] = PAD
    diff_ids[2, 11:] = PAD
    hunk_kind = torch.randint(0, 3, (n, diff_len))
    msg = torch.randint(3, 1024, (n, msg_len + 1))
    msg[:, 0] = BOS
    msg[0, 6:] = PAD
    model = DiffToMessage()
    logits = model(diff_ids, hunk_kind, msg[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), msg[:, 1:].flatten(), ignore_index=PAD)
    loss.backward()
    model.eval()
    with torch.no_grad():
        first_words = model(diff_ids, hunk_kind, msg[:, :1]).argmax(-1)
    print("loss", round(loss.item(), 4), "first predicted ids", first_words[:, 0].tolist())
