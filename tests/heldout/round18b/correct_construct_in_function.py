"""Language identification over byte n-grams with a lightweight SDPA encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F

LANGS = ["en", "de", "fi", "tr"]


class ByteEncoder(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(257, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.cls = nn.Linear(d, len(LANGS))

    def forward(self, byte_ids, pad):
        B, S = byte_ids.shape
        x = self.emb(byte_ids)
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~pad[:, None, None, :]).transpose(1, 2).reshape(B, S, -1)
        keep = (~pad).unsqueeze(-1).float()
        return self.cls((y * keep).sum(1) / keep.sum(1))


def encode(texts):
    raw = [list(t.encode("utf-8")) for t in texts]
    width = max(map(len, raw))
    ids = torch.full((len(raw), width), 256, dtype=torch.long)
    for i, r in enumerate(raw):
        ids[i, : len(r)] = torch.tensor(r)
    return ids, ids == 256


def identify(texts):
    torch.manual_seed(0)
    model = ByteEncoder()
    ids, pad = encode(texts)
    probs = model(ids, pad).softmax(-1)
    return [LANGS[i] for i in probs.argmax(-1).tolist()], probs


if __name__ == "__main__":
    labels, probs = identify(["the weather is nice", "hyvää huomenta", "guten Morgen zusammen"])
    print(labels, round(probs.max().item(), 5))
