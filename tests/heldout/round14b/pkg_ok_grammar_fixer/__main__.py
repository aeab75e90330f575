import torch
import torch.nn.functional as F

from .model import GECTransformer
from .vocab import PAD, Vocab

pairs = [("she go to school yesterday", "she went to school yesterday"),
         ("he have two cat", "he has two cats"),
         ("they was happy", "they were happy")]
vocab = Vocab([s for p in pairs for s in p])
src = vocab.batch([s for s, _ in pairs])
tgt = vocab.batch([t for _, t in pairs], add_bos=True)

torch.manual_seed(0)
model = GECTransformer(len(vocab))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(5):
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss", round(loss.item(), 3))
print([" ".join(vocab.itos[i] for i in row[1:]) for row in model.correct(src, max_len=6).tolist()])
