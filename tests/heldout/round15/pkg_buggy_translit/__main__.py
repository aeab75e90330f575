import torch
from torch.nn import functional as F

from . import Transliterator, make_batch

torch.manual_seed(0)
pairs = [("namaste", "nmste"), ("dhanyavaad", "dhnyvd"), ("ghar", "ghr")]
batch = make_batch(pairs)
model = Transliterator()
try:
    logits = model(batch)
    print("ce", F.cross_entropy(logits.transpose(1, 2), batch.tgt_out, ignore_index=0).item())
except (AssertionError, RuntimeError) as err:
    print("forward failed:", type(err).__name__, err)
