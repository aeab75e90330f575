import torch

from . import CrossEncoderReranker, ToyTokenizer

torch.manual_seed(0)
tok = ToyTokenizer()
query = "how do transformers mask padding"
passages = [
    "padding tokens are excluded with a key padding mask",
    "the weather is nice",
    "attention masks decide which keys each query may read in a transformer layer",
]
ids = tok.pairs(query, passages)
model = CrossEncoderReranker().eval()
with torch.no_grad():
    scores = model(ids)
print("scores", [round(s, 4) for s in scores.tolist()])
print("ranking", scores.argsort(descending=True).tolist())
