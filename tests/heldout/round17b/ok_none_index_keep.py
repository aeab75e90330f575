"""Spam filter for support-desk e-mail (subject + first lines)."""
import torch
import torch.nn.functional as F
from torch import nn


class MailEncoder(nn.Module):
    def __init__(self, vocab=25000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(512, dim)
        self.blocks = nn.ModuleList(nn.ModuleDict({
            "ln": nn.LayerNorm(dim), "qkv": nn.Linear(dim, 3 * dim), "out": nn.Linear(dim, dim),
        }) for _ in range(layers))
        self.cls = nn.Linear(dim, 2)

    def forward(self, input_ids, attention_mask):
        b, n = input_ids.shape
        x = self.emb(input_ids) + self.pos(torch.arange(n, device=input_ids.device))
        visible = attention_mask.bool()[:, None, None, :]
        for blk in self.blocks:
            q, k, v = blk["qkv"](blk["ln"](x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
            x = x + blk["out"](y.transpose(1, 2).reshape(b, n, -1))
        return self.cls(x[:, 0])


def tokenize(mails, n=24, vocab=25000):
    ids = torch.zeros(len(mails), n, dtype=torch.long)
    attention_mask = torch.zeros(len(mails), n, dtype=torch.long)
    for i, m in enumerate(mails):
        toks = [1] + [sum(map(ord, w)) % (vocab - 10) + 10 for w in m.split()][:n - 1]
        ids[i, :len(toks)] = torch.tensor(toks)
        attention_mask[i, :len(toks)] = 1
    return ids, attention_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    ids, am = tokenize(["URGENT you have won a prize click now", "Printer on floor 3 is jammed again"])
    print(MailEncoder()(ids, am).softmax(-1))
