"""Next-move model for quay cranes at a container terminal.

Each vessel call is a sequence of crane moves (bay, row, tier, load/discharge,
twin-lift flag, seconds since previous move). Calls are packed into rows of
fixed length; ``doc_ids`` marks the call of each move. Attention is causal and
restricted to moves of the same call, via a FlexAttention block mask.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def same_call_causal(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        return (doc_ids[b, q_idx] == doc_ids[b, kv_idx]) & (q_idx >= kv_idx)
    return mask_mod


class CraneMoveLM(nn.Module):
    def __init__(self, d=32, heads=4, depth=2, n_bays=60):
        super().__init__()
        self.heads = heads
        self.bay = nn.Embedding(n_bays, d)
        self.kind = nn.Embedding(4, d)      # load, discharge, restow, hatch cover
        self.num = nn.Linear(3, d)          # row, tier, seconds since previous move
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(depth))
        self.proj = nn.ModuleList(nn.Linear(d, d) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.next_bay = nn.Linear(d, n_bays)

    def forward(self, bay, kind, num, doc_ids):
        B, T = bay.shape
        x = self.bay(bay) + self.kind(kind) + self.num(num)
        block_mask = create_block_mask(same_call_causal(doc_ids), B, None, T, T, device=bay.device)
        for ln, qkv, proj in zip(self.ln, self.qkv, self.proj):
            q, k, v = qkv(ln(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, block_mask=block_mask)
            x = x + proj(y.transpose(1, 2).reshape(B, T, -1))
        return self.next_bay(x)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    T = 64
    calls = [[20, 30, 14], [40, 24]]
    doc_ids = torch.zeros(2, T, dtype=torch.long)
    for r, ls in enumerate(calls):
        doc_ids[r] = torch.repeat_interleave(torch.arange(len(ls)), torch.tensor(ls))
    model = CraneMoveLM()
    with torch.no_grad():
        logits = model(torch.randint(0, 60, (2, T)), torch.randint(0, 4, (2, T)), torch.rand(2, T, 3), doc_ids)
    print(logits.shape)
