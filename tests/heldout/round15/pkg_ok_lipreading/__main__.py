import torch
from torch.nn import functional as F

from .collate import collate
from .model import LipReader

torch.manual_seed(0)
batch = collate([(torch.randn(n, 32), t) for n, t in [(12, [5, 6, 7]), (7, [9, 9]), (15, [3, 4, 5, 6, 7])]])
model = LipReader()
logits = model(batch)
print("train ce", F.cross_entropy(logits.transpose(1, 2), batch.text_out, ignore_index=0).item())
with torch.no_grad():
    print("eval ce ", F.cross_entropy(model.eval()(batch).transpose(1, 2), batch.text_out, ignore_index=0).item())
