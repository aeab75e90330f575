"""Mixed-precision training of a custom attention encoder: -1e4 is representable in fp16 and
still drives the masked probabilities to zero."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_FILL = -1e4


class Encoder(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4):
        super().__init__()
        self.h = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.cls = nn.Linear(d, 2)

    def forward(self, ids, keep):
        x = self.emb(ids)
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (D // self.h) ** 0.5
        scores = scores.masked_fill(~keep[:, None, None, :], MASK_FILL)
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, D)
        return self.cls(self.o(y)[:, 0])


def train_step(model, opt, ids, keep, labels):
    device_type = "cuda" if ids.is_cuda else "cpu"
    dtype = torch.float16 if device_type == "cuda" else torch.bfloat16
    with torch.autocast(device_type=device_type, dtype=dtype):
        loss = F.cross_entropy(model(ids, keep), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    m = Encoder()
    keep = torch.ones(4, 12, dtype=torch.bool); keep[2, 5:] = False
    print(train_step(m, torch.optim.SGD(m.parameters(), 0.1), torch.randint(0, 1000, (4, 12)), keep, torch.tensor([0, 1, 0, 1])))
