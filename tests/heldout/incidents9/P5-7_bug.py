import math

import torch
import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask=None):
        bsz, seq_len, _ = x.shape
        xq, xk, xv = (t.view(bsz, seq_len, self.n_heads, self.head_dim).transpose(1, 2)
                      for t in self.wqkv(x).chunk(3, -1))
        scores = (xq @ xk.transpose(-2, -1)) / math.sqrt(self.head_dim)
        scores = scores + torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)
        out = F.softmax(scores.float(), dim=-1).type_as(xq) @ xv  # BUG
        return self.wo(out.transpose(1, 2).reshape(bsz, seq_len, -1))


class MiniMindLM(nn.Module):
    def __init__(self, vocab_size=64, dim=32, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.pos = nn.Embedding(64, dim)
        self.layers = nn.ModuleList(Attention(dim) for _ in range(n_layers))
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None \
            else torch.arange(input_ids.size(1)).expand_as(input_ids)
        h = self.tok_embeddings(input_ids) + self.pos(position_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.output(h)


def sft_loss(model, input_ids, labels, loss_mask):
    """Padding is excluded from the loss through loss_mask."""
    logits = model(input_ids)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.reshape(-1), reduction="none")
    return (loss * loss_mask.reshape(-1)).sum() / loss_mask.sum()


def collate_left(batch, pad_id=0):
    max_len = max(len(x) for x in batch)
    ids = torch.full((len(batch), max_len), pad_id)
    mask = torch.zeros((len(batch), max_len), dtype=torch.long)
    for i, x in enumerate(batch):
        ids[i, max_len - len(x):] = torch.tensor(x)
        mask[i, max_len - len(x):] = 1
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MiniMindLM().eval()
    prompts = [[5, 9, 11], [7, 3, 8, 2, 6, 4]]
    ids, mask = collate_left(prompts)
    print("sft loss:", round(sft_loss(model, ids[:, :-1], ids[:, 1:], mask[:, 1:].float()).item(), 3))
    with torch.no_grad():
        batched = model(ids, attention_mask=mask)[0, -1]
        single = model(torch.tensor([prompts[0]]), attention_mask=torch.ones(1, 3, dtype=torch.long))[0, -1]
    print("next-token logits, batched (left-padded) vs single:", (batched - single).abs().max().item())
