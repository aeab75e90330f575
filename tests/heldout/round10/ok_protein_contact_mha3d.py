"""Protein residue encoder restricted to spatial neighbours (per-sample 3-D masks into nn.MultiheadAttention)."""
import torch
import torch.nn as nn

AA = "ACDEFGHIKLMNPQRSTVWY"


class NeighbourBlock(nn.Module):
    def __init__(self, d, heads, cutoff):
        super().__init__()
        self.heads, self.cutoff = heads, cutoff
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def blocked(self, ca, res_pad):
        far = torch.cdist(ca, ca) > self.cutoff                       # (B, L, L)
        blocked = far | res_pad[:, None, :]
        eye = torch.eye(ca.size(1), dtype=torch.bool, device=ca.device)
        return blocked & ~eye                                         # a residue always sees itself

    def forward(self, x, ca, res_pad):
        m = self.blocked(ca, res_pad).repeat_interleave(self.heads, dim=0)  # (B*H, L, L)
        h = self.ln1(x)
        a, _ = self.mha(h, h, h, attn_mask=m, need_weights=False)
        x = x + a
        return x + self.ff(self.ln2(x))


class ContactPredictor(nn.Module):
    def __init__(self, d=64, heads=4, depth=2, cutoff=10.0):
        super().__init__()
        self.aa = nn.Embedding(len(AA) + 1, d, padding_idx=len(AA))
        self.blocks = nn.ModuleList(NeighbourBlock(d, heads, cutoff * (1 + i)) for i in range(depth))
        self.pair = nn.Bilinear(d, d, 1)

    def forward(self, seq_ids, ca, res_pad):
        x = self.aa(seq_ids)
        for blk in self.blocks:
            x = blk(x, ca, res_pad)
        L = x.size(1)
        xi = x[:, :, None].expand(-1, -1, L, -1)
        xj = x[:, None, :].expand(-1, L, -1, -1)
        return self.pair(xi.contiguous(), xj.contiguous()).squeeze(-1)


def random_chain(n, step=3.8):
    dirs = torch.nn.functional.normalize(torch.randn(n, 3), dim=-1)
    return torch.cumsum(dirs * step, dim=0)


if __name__ == "__main__":
    torch.manual_seed(0)
    lens = [30, 22, 27]
    L = max(lens)
    seq = torch.full((3, L), len(AA))
    ca = torch.zeros(3, L, 3)
    for i, n in enumerate(lens):
        seq[i, :n] = torch.randint(0, len(AA), (n,))
        ca[i, :n] = random_chain(n)
    res_pad = seq == len(AA)
    model = ContactPredictor()
    logits = model(seq, ca, res_pad)
    contacts = (torch.cdist(ca, ca) < 8.0).float()
    valid = ~(res_pad[:, :, None] | res_pad[:, None, :])
    loss = nn.functional.binary_cross_entropy_with_logits(logits[valid], contacts[valid])
    loss.backward()
    model.eval()
    with torch.no_grad():
        solo = model(seq[1:2, :22], ca[1:2, :22], res_pad[1:2, :22])
        batched = model(seq, ca, res_pad)[1:2, :22, :22]
    print(logits.shape, loss.item(), torch.allclose(solo, batched, atol=1e-4))
