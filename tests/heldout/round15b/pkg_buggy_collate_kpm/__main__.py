import torch

from .data import collate, encode
from .model import IntentClassifier

torch.manual_seed(0)
vocab = {}
examples = [
    {"ids": encode("book a table for two", vocab), "label": 0},
    {"ids": encode("play some jazz", vocab), "label": 1},
    {"ids": encode("what is the weather in paris today", vocab), "label": 2},
]
batch = collate(examples)
model = IntentClassifier()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for _ in range(3):
    logits, loss = model(**batch)
    opt.zero_grad(); loss.backward(); opt.step()
print("loss", loss.item(), "pred", logits.argmax(-1).tolist())
