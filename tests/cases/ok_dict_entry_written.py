"""Correct twins of buggy_dict_entry_written: the padding written into a dict's entry, then
converted for the slot that reads it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(100, d, padding_idx=0)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        return self.attn(x, x, x, key_padding_mask=attention_mask == 0)[0]


def smoke():
    batch = {"input_ids": torch.randint(1, 100, (3, 8)), "attention_mask": torch.ones(3, 8, dtype=torch.long)}
    batch["attention_mask"][1, 5:] = 0
    batch["input_ids"][1, 5:] = 0
    return Encoder()(**batch)


def sdpa_smoke():
    q = k = v = torch.randn(2, 4, 6, 8)
    inputs = {"mask": torch.zeros(2, 6, dtype=torch.bool)}
    inputs["mask"][0, 4:] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~inputs["mask"][:, None, None, :])
