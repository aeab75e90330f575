import torch
import torch.nn.functional as F

from .data import PAD, collate_pairs, toy_pairs
from .model import Seq2SeqTransformer

torch.manual_seed(0)
model = Seq2SeqTransformer()
opt = torch.optim.Adam(model.parameters(), lr=5e-4)
src, tgt = collate_pairs(toy_pairs(8))
for step in range(3):
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss", round(loss.item(), 3))
