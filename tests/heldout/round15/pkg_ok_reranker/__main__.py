import torch

from .features import encode_pairs
from .modeling import ProductRelevanceModel

torch.manual_seed(0)
batch = encode_pairs(["red running shoes"] * 3, ["nike running shoe red", "blue denim jacket slim fit", "socks"])
model = ProductRelevanceModel().eval()
with torch.no_grad():
    print("relevance", [round(s, 4) for s in model(**batch).tolist()])
