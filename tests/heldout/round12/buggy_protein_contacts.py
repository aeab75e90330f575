"""Residue-residue contact prediction from a single protein sequence.

Attention is written out by hand because the contact head reads the raw
attention logits of the last layer.  Long proteins are scored in half
precision to fit memory.
"""
import torch
import torch.nn.functional as F
from torch import nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD = len(AMINO)


def encode(seqs):
    width = max(map(len, seqs))
    ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor([AMINO.index(a) for a in s])
    return ids


class ResidueAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h, self.dk = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, residue_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        logits = q @ k.transpose(-1, -2) / self.dk ** 0.5
        logits = logits.masked_fill(~residue_mask[:, None, None, :], -1e9)  # expect: ML205
        out = logits.softmax(-1) @ v
        return self.o(out.transpose(1, 2).reshape(b, n, d)), logits


class ContactModel(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(PAD + 1, dim)
        self.attn = nn.ModuleList(ResidueAttention(dim, heads) for _ in range(depth))
        self.contact = nn.Linear(heads, 1)

    def forward(self, ids):
        residue_mask = ids != PAD
        x = self.emb(ids)
        for layer in self.attn:
            y, logits = layer(F.layer_norm(x, x.shape[-1:]), residue_mask)
            x = x + y
        sym = (logits + logits.transpose(-1, -2)).permute(0, 2, 3, 1)
        return self.contact(sym).squeeze(-1)               # (B, N, N) contact logits


@torch.no_grad()
def predict_contacts(model, seqs, half=False):
    ids = encode(seqs)
    if half:
        model = model.half()
    return torch.sigmoid(model(ids).float())


if __name__ == "__main__":
    torch.manual_seed(0)
    seqs = ["MKTAYIAKQRQISFVKSHFSRQ", "GSHMLEDPVDAFQ"]
    model = ContactModel()
    ids = encode(seqs)
    target = (torch.rand(2, ids.size(1), ids.size(1)) > 0.9).float()
    real = ids != PAD
    pairs = real[:, :, None] & real[:, None, :]
    loss = F.binary_cross_entropy_with_logits(model(ids)[pairs], target[pairs])
    loss.backward()
    print("fp32 loss", round(loss.item(), 4))
    try:
        probs = predict_contacts(model, seqs, half=True)
        print("fp16 contacts", tuple(probs.shape))
    except RuntimeError as err:
        print("fp16 inference failed:", err)
