import torch

from .model import EncoderSettings, ReviewEncoder

torch.manual_seed(0)
ids = torch.tensor([[5, 88, 301, 17, 1, 1], [9, 10, 11, 12, 13, 14]])
for impl in ("sdpa", "eager"):
    enc = ReviewEncoder(EncoderSettings(attn_implementation=impl)).eval()
    with torch.no_grad():
        emb = enc(ids)
    print(impl, "embeddings", tuple(emb.shape), "finite:", bool(torch.isfinite(emb).all()))
