"""Extractive QA span head: scores every (start, end) pair and forbids end < start or long spans."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpanPointer(nn.Module):
    def __init__(self, hidden=32, max_answer_len=8):
        super().__init__()
        self.max_answer_len = max_answer_len
        self.start = nn.Linear(hidden, hidden)
        self.end = nn.Linear(hidden, hidden)

    def forward(self, h, context_mask):
        B, L, _ = h.shape
        logits = torch.einsum("bid,bjd->bij", self.start(h), self.end(h))
        invalid = torch.tril(torch.ones(L, L, dtype=torch.bool, device=h.device), diagonal=-1)
        invalid = invalid | torch.triu(torch.ones(L, L, dtype=torch.bool, device=h.device), diagonal=self.max_answer_len)
        logits = logits.masked_fill(invalid, float("-inf"))
        outside = ~(context_mask[:, :, None] & context_mask[:, None, :])
        logits = logits.masked_fill(outside, float("-inf"))
        return logits.view(B, -1).log_softmax(-1).view(B, L, L)


class Reader(nn.Module):
    def __init__(self, vocab=800, hidden=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(hidden, 4, 64, 0.0, batch_first=True), 1, enable_nested_tensor=False)
        self.pointer = SpanPointer(hidden)

    def forward(self, ids, segment, pad):
        h = self.enc(self.emb(ids), src_key_padding_mask=pad)
        return self.pointer(h, (segment == 1) & ~pad)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 800, (2, 14))
    segment = torch.tensor([[0] * 5 + [1] * 9, [0] * 4 + [1] * 7 + [0] * 3])
    pad = torch.zeros(2, 14, dtype=torch.bool)
    pad[1, 11:] = True
    span_logp = Reader()(ids, segment, pad)
    gold = torch.tensor([[6, 8], [5, 5]])
    loss = -span_logp[torch.arange(2), gold[:, 0], gold[:, 1]].mean()
    best = span_logp.view(2, -1).argmax(-1)
    print("loss", round(loss.item(), 5), "best", [(i // 14, i % 14) for i in best.tolist()])
