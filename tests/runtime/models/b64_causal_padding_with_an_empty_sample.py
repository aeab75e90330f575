"""A causal keep mask combined with a padding mask written the right way for SDPA (True =
attend), on a right-padded batch where one sample is all padding and none is full: the empty
sample attends to nothing, which is ML601 (0 here, NaN on fused GPU kernels in half precision),
never the inverted padding of b63 (the others keep runs of real keys at the start)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class TinyLM(nn.Module):
    def __init__(self, vocab=30, dim=32, heads=2, max_len=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, vocab)
        self.heads = heads

    def forward(self, ids):
        b, t = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(t))
        keep = torch.ones(t, t, dtype=torch.bool).tril()[None, None] & ids.ne(0)[:, None, None, :]
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=0.1 if self.training else 0.0)  # expect: ML601
        return self.out(torch.nan_to_num(y).transpose(1, 2).reshape(b, t, -1))


def run():
    torch.manual_seed(0)
    model = TinyLM()
    ids = torch.randint(1, 30, (3, 8))
    ids[0, 5:] = 0
    ids[1, :] = 0
    ids[2, 3:] = 0
    logits = model(ids)
    F.cross_entropy(logits[:, :-1].reshape(-1, 30), ids[:, 1:].reshape(-1), ignore_index=0).backward()
    with torch.no_grad():
        ev = model.eval()(ids)
    return logits.detach(), ev
