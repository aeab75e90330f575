"""Buggy: a functional helper around nn.MultiheadAttention takes the padding mask positionally;
the caller hands it the tokenizer's attention_mask (1 = keep) as bool. Found at the helper's call."""
import torch
import torch.nn as nn

KIND = "buggy"


def attend(attn, x, pad_mask):
    out, _ = attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)  # expect: ML101
    return out


class Pooler(nn.Module):
    def __init__(self, vocab=50, dim=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = nn.MultiheadAttention(dim, 4, dropout=0.1, batch_first=True)
        self.cls = nn.Linear(dim, 3)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        x = x + attend(self.attn, x, attention_mask.bool())
        return self.cls(x[:, 0])


def run():
    torch.manual_seed(0)
    input_ids = torch.tensor([[2, 7, 9, 4, 0, 0, 0, 0], [2, 5, 3, 8, 6, 1, 0, 0]])
    attention_mask = (input_ids != 0).long()
    model = Pooler().train()
    out = model(input_ids, attention_mask)
    out.sum().backward()
    return (out.detach(), model.emb.weight.grad)
