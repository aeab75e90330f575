"""GTrXL-style recurrent-memory transformer for an RL agent: each segment of
L steps attends to M cached hidden states from previous segments plus itself.
The (L, M + L) boolean mask for nn.MultiheadAttention (True = blocked) is the
causal mask shifted right by M (bottom-right aligned), so memory is always
visible and the current segment is causal."""
import torch
import torch.nn as nn


def memory_causal_mask(L: int, M: int, device=None) -> torch.Tensor:
    return torch.ones(L, M + L, dtype=torch.bool, device=device).triu(diagonal=M + 1)


class GRUGate(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.wr, self.ur = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.wz, self.uz = nn.Linear(d, d, bias=False), nn.Linear(d, d)
        self.wg, self.ug = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        nn.init.constant_(self.uz.bias, -2.0)

    def forward(self, x, y):
        r = torch.sigmoid(self.wr(y) + self.ur(x))
        z = torch.sigmoid(self.wz(y) + self.uz(x))
        h = torch.tanh(self.wg(y) + self.ug(r * x))
        return (1 - z) * x + z * h


class GTrXLLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.gate1, self.gate2 = GRUGate(d), GRUGate(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x, mem):
        L, M = x.size(1), mem.size(1)
        kv = self.ln1(torch.cat([mem, x], 1))
        a, _ = self.attn(kv[:, M:], kv, kv, attn_mask=memory_causal_mask(L, M, x.device), need_weights=False)
        x = self.gate1(x, torch.relu(a))
        return self.gate2(x, torch.relu(self.ff(self.ln2(x))))


class GTrXLPolicy(nn.Module):
    def __init__(self, obs_dim=8, n_actions=4, d=64, h=4, n=2, mem_len=6):
        super().__init__()
        self.mem_len = mem_len
        self.inp = nn.Linear(obs_dim, d)
        self.layers = nn.ModuleList(GTrXLLayer(d, h) for _ in range(n))
        self.pi, self.v = nn.Linear(d, n_actions), nn.Linear(d, 1)

    def init_memory(self, B):
        return [torch.zeros(B, 0, self.inp.out_features) for _ in self.layers]

    def forward(self, obs, memory):
        x = self.inp(obs)
        new_mem = []
        for layer, mem in zip(self.layers, memory):
            new_mem.append(torch.cat([mem, x], 1)[:, -self.mem_len :].detach())
            x = layer(x, mem)
        return self.pi(x), self.v(x).squeeze(-1), new_mem


if __name__ == "__main__":
    torch.manual_seed(0)
    pol = GTrXLPolicy(mem_len=100).eval()
    obs = torch.randn(2, 12, 8)
    with torch.no_grad():
        full_logits, _, _ = pol(obs, pol.init_memory(2))
        mem = pol.init_memory(2)
        chunks = []
        for s in range(0, 12, 4):  # three segments of 4 steps, memory carries the rest
            lg, _, mem = pol(obs[:, s : s + 4], mem)
            chunks.append(lg)
        seg_logits = torch.cat(chunks, 1)
        obs2 = obs.clone()
        obs2[:, 7:] = 3.0
        leak, _, _ = pol(obs2, pol.init_memory(2))
    assert torch.allclose(full_logits, seg_logits, atol=1e-5), "segment recurrence != full causal pass"
    assert torch.allclose(full_logits[:, :7], leak[:, :7], atol=1e-5)
    print("OK: bottom-right causal mask over [memory; segment]")
