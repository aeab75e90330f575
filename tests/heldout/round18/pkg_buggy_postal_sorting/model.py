import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import causal_bias, key_keep, padding_bias

SCAN_TYPES = ("<pad>", "accepted", "hub_in", "sorted", "hub_out", "linehaul", "depot_in", "out_for_delivery",
              "delivered", "failed_attempt", "customs", "returned")


class ScanAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def split(self, x):
        B, T, _ = x.shape
        return self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)

    def forward(self, x, bias):
        q, k, v = self.split(x)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).flatten(2)), (k, v)

    def step(self, x, cache, key_ok):
        q, k, v = self.split(x)
        k = torch.cat([cache[0], k], dim=2)
        v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=key_keep(key_ok), is_causal=True)  # BUG: is_causal=True alongside an explicit mask in a one-token decode step
        return self.o(y.transpose(1, 2).flatten(2)), (k, v)


class ScanSequenceModel(nn.Module):
    def __init__(self, n_facilities=800, d=32, heads=4, depth=2):
        super().__init__()
        self.scan = nn.Embedding(len(SCAN_TYPES), d, padding_idx=0)
        self.facility = nn.Embedding(n_facilities, d)
        self.hours = nn.Linear(1, d)
        self.attn = nn.ModuleList(ScanAttention(d, heads) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.next_scan = nn.Linear(d, len(SCAN_TYPES))
        self.eta = nn.Linear(d, 1)

    def embed(self, scan, facility, hours):
        return self.scan(scan) + self.facility(facility) + self.hours(torch.log1p(hours).unsqueeze(-1))

    def forward(self, scan, facility, hours):
        x = self.embed(scan, facility, hours.to(self.hours.weight.dtype))
        valid = scan != 0
        T = scan.size(1)
        bias = causal_bias(T, x.dtype, x.device) + padding_bias(valid, x.dtype)
        caches = []
        for ln, attn in zip(self.ln, self.attn):
            a, kv = attn(ln(x), bias)
            x = x + a
            caches.append(kv)
        return self.next_scan(x), self.eta(x).squeeze(-1), caches

    def step(self, scan, facility, hours, caches, key_ok):
        x = self.embed(scan, facility, hours.to(self.hours.weight.dtype))
        new = []
        for ln, attn, cache in zip(self.ln, self.attn, caches):
            a, kv = attn.step(ln(x), cache, key_ok)
            x = x + a
            new.append(kv)
        return self.next_scan(x), self.eta(x).squeeze(-1), new


@torch.no_grad()
def predict_next_scans(model, scan, facility, hours, steps=3, half=False):
    """Greedy roll-out of the next scan types; facility/hours of future scans are unknown (use last)."""
    model.eval()
    if half:
        model = model.half()
        hours = hours.half()
    logits, _, caches = model(scan, facility, hours)
    key_ok = scan != 0
    # right-padded histories: take the last real scan of each parcel
    last = key_ok.sum(1) - 1
    idx = torch.arange(scan.size(0))
    nxt = logits[idx, last].argmax(-1, keepdim=True)
    fac, hrs = facility[idx, last][:, None], hours[idx, last][:, None]
    out = [nxt]
    for _ in range(steps - 1):
        key_ok = torch.cat([key_ok, torch.ones_like(nxt, dtype=torch.bool)], dim=1)
        logits, _, caches = model.step(nxt, fac, hrs, caches, key_ok)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
    return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ScanSequenceModel()
    scan = torch.tensor([[1, 2, 3, 4, 5, 6, 0, 0], [1, 2, 3, 4, 5, 6, 7, 9]])
    facility = torch.randint(0, 800, (2, 8))
    hours = torch.rand(2, 8) * 30
    logits, eta, _ = model(scan, facility, hours)
    loss = F.cross_entropy(logits[:, :-1].transpose(1, 2), scan[:, 1:], ignore_index=0)
    loss.backward()
    print(float(loss), predict_next_scans(model, scan, facility, hours).tolist())
