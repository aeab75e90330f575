"""ACT (action chunking transformer) policy: encoder over [style latent, proprio, camera
tokens]; a varying number of cameras per episode, missing cameras are padded. A DETR-style
decoder with learned queries outputs a chunk of future joint targets."""
import torch
import torch.nn as nn


class ACTEncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, pad):
        out, _ = self.attn(x, x, x, key_padding_mask=pad)
        return self.norm(x + out)


class ACTDecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, q, memory):
        out, _ = self.self_attn(q, q, q)
        q = self.n1(q + out)
        out, _ = self.cross_attn(q, memory, memory)  # expect: ML502
        return self.n2(q + out)


class ACTPolicy(nn.Module):
    def __init__(self, d=32, heads=4, chunk=8, n_joints=7):
        super().__init__()
        self.proprio = nn.Linear(n_joints, d)
        self.cam = nn.Linear(64, d)
        self.latent = nn.Parameter(torch.zeros(1, 1, d))
        self.queries = nn.Parameter(torch.randn(chunk, d))
        self.enc = ACTEncoderLayer(d, heads)
        self.dec = ACTDecoderLayer(d, heads)
        self.head = nn.Linear(d, n_joints)

    def forward(self, qpos, cam_feats, cam_pad):
        B = qpos.size(0)
        tokens = torch.cat([self.latent.expand(B, -1, -1), self.proprio(qpos)[:, None], self.cam(cam_feats)], 1)
        pad = torch.cat([torch.zeros(B, 2, dtype=torch.bool), cam_pad], 1)
        memory = self.enc(tokens, pad)
        q = self.queries.expand(B, -1, -1)
        return self.head(self.dec(q, memory))


if __name__ == "__main__":
    torch.manual_seed(0)
    pol = ACTPolicy().eval()
    qpos, cams = torch.randn(2, 7), torch.randn(2, 6, 64)
    cam_pad = torch.zeros(2, 6, dtype=torch.bool)
    cam_pad[0, 3:] = True                            # episode 0 has only 3 camera tokens
    with torch.no_grad():
        a = pol(qpos, cams, cam_pad)
        cams2 = cams.clone()
        cams2[0, 3:] = 7.0
        b = pol(qpos, cams2, cam_pad)
    print("FAILURE SHOWN: action chunk depends on padded camera slots, diff",
          f"{(a[0] - b[0]).abs().max().item():.3g}")
