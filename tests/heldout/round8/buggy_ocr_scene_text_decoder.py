"""Scene-text recognition decoder (ABINet/PARSeq flavour) with a per-sample
(N, T, T) self-attention mask: causal + target padding, handed to
nn.MultiheadAttention as a 3-D mask."""
import torch
import torch.nn as nn


class SceneTextDecoder(nn.Module):
    def __init__(self, charset=40, dim=64, nhead=4, layers=2, max_len=26, pad_id=0):
        super().__init__()
        self.nhead, self.pad_id = nhead, pad_id
        self.emb = nn.Embedding(charset, dim)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.sa = nn.ModuleList(nn.MultiheadAttention(dim, nhead, batch_first=True) for _ in range(layers))
        self.ca = nn.ModuleList(nn.MultiheadAttention(dim, nhead, batch_first=True) for _ in range(layers))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
            for _ in range(layers)
        )
        self.head = nn.Linear(dim, charset)

    def self_attention_mask(self, tgt):
        N, T = tgt.shape
        causal = torch.ones(T, T, dtype=torch.bool, device=tgt.device).triu(1)
        pad = tgt.eq(self.pad_id)
        pad[:, 0] = False  # BOS is never padding
        return causal.unsqueeze(0) | pad.unsqueeze(1)  # (N, T, T), True = blocked

    def forward(self, tgt, visual):
        mask = self.self_attention_mask(tgt)
        x = self.emb(tgt) + self.pos[: tgt.size(1)]
        for sa, ca, ff in zip(self.sa, self.ca, self.ff):
            x = x + sa(
                x, x, x,
                attn_mask=mask.repeat(self.nhead, 1, 1),  # expect: ML302
                need_weights=False,
            )[0]
            x = x + ca(x, visual, visual, need_weights=False)[0]
            x = x + ff(x)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = SceneTextDecoder().eval()
    visual = torch.randn(2, 32, 64)
    tgt = torch.randint(1, 40, (2, 10))
    tgt[1, 4:] = 0  # the second word is short
    with torch.no_grad():
        batched = dec(tgt, visual)
        alone0 = dec(tgt[:1], visual[:1])
        alone1 = dec(tgt[1:], visual[1:])
    d0 = (batched[0] - alone0[0]).abs().max().item()
    d1 = (batched[1, :4] - alone1[0, :4]).abs().max().item()
    print("word 0: batched vs alone", d0, "| word 1 (real chars): batched vs alone", d1)
    assert max(d0, d1) > 1e-4
    print("FAILURE SHOWN: per-head masks belong to the wrong sample")
