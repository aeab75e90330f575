"""Sea-state classifier for ocean data buoys: one token per 30-minute wave spectrum summary.
Grouped-query attention over a day of reports; missing reports at the end are padded."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SEA_STATES = ["calm", "smooth", "slight", "moderate", "rough", "very_rough", "high"]


class GQA(nn.Module):
    def __init__(self, d, q_heads=8, kv_heads=2):
        super().__init__()
        self.hq, self.hkv, self.dh = q_heads, kv_heads, d // q_heads
        self.q_proj = nn.Linear(d, q_heads * self.dh)
        self.k_proj = nn.Linear(d, kv_heads * self.dh)
        self.v_proj = nn.Linear(d, kv_heads * self.dh)
        self.o_proj = nn.Linear(q_heads * self.dh, d)

    def forward(self, x, report_ok):
        B, S, _ = x.shape
        q = self.q_proj(x).view(B, S, self.hq, self.dh).transpose(1, 2)
        k = self.k_proj(x).view(B, S, self.hkv, self.dh).transpose(1, 2)
        v = self.v_proj(x).view(B, S, self.hkv, self.dh).transpose(1, 2)
        rep = self.hq // self.hkv
        k = k[:, :, None].expand(B, self.hkv, rep, S, self.dh).reshape(B, self.hq, S, self.dh)
        v = v[:, :, None].expand(B, self.hkv, rep, S, self.dh).reshape(B, self.hq, S, self.dh)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=report_ok[:, None, None, :])
        return self.o_proj(y.transpose(1, 2).reshape(B, S, -1))


class SeaStateModel(nn.Module):
    def __init__(self, n_feats=9, d=64, layers=2):
        super().__init__()
        self.inp = nn.Linear(n_feats, d)
        self.layers = nn.ModuleList(GQA(d) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, len(SEA_STATES))

    def forward(self, reports, n_reports):
        report_ok = torch.arange(reports.size(1), device=reports.device) < n_reports[:, None]
        x = self.inp(reports)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), report_ok)
        x = x * report_ok[..., None]
        return self.out(x.sum(1) / n_reports[:, None])


if __name__ == "__main__":
    reports = torch.randn(2, 48, 9)
    print(SeaStateModel()(reports, torch.tensor([48, 31])).argmax(-1))
