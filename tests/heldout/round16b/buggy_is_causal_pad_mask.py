import torch
import torch.nn as nn
import torch.nn.functional as F


class ProteinSequenceLM(nn.Module):
    """Left-to-right protein language model trained on padded batches."""

    def __init__(self, n_tokens=25, d_model=64, heads=4, depth=2, pad=0):
        super().__init__()
        self.heads, self.pad = heads, pad
        self.embed = nn.Embedding(n_tokens, d_model, padding_idx=pad)
        self.pos = nn.Embedding(512, d_model)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, heads, batch_first=True) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 4 * d_model), nn.GELU(),
                                               nn.Linear(4 * d_model, d_model)) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(depth))
        self.out = nn.Linear(d_model, n_tokens)

    def forward(self, seqs):
        b, n = seqs.shape
        x = self.embed(seqs) + self.pos(torch.arange(n, device=seqs.device))
        pad = (seqs == self.pad)[:, None, :].expand(b, n, n)
        pad = pad & ~torch.eye(n, dtype=torch.bool, device=seqs.device)
        pad = pad.repeat_interleave(self.heads, 0)
        for attn, mlp, norm in zip(self.attn, self.mlp, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=pad, is_causal=True, need_weights=False)[0]  # expect: ML402
            x = x + mlp(x)
        return self.out(x)

    def loss(self, seqs):
        logits = self(seqs[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), seqs[:, 1:].flatten(), ignore_index=self.pad)


if __name__ == "__main__":
    seqs = torch.randint(1, 25, (4, 40))
    seqs[:, 0] = 0
    seqs[2, :10] = 0
    print(ProteinSequenceLM().loss(seqs).item())
