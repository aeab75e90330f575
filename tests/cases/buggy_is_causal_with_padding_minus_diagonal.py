"""is_causal=True beside a mask that is padding with the diagonal opened (`pad & ~eye`): not a
causal mask, so training runs plain causal and eval runs this mask."""
import torch
import torch.nn as nn


class ResidueLM(nn.Module):
    def __init__(self, n_tokens=25, d=32, heads=4, pad=0):
        super().__init__()
        self.heads, self.pad = heads, pad
        self.embed = nn.Embedding(n_tokens, d, padding_idx=pad)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.out = nn.Linear(d, n_tokens)

    def forward(self, seqs):
        b, n = seqs.shape
        x = self.embed(seqs)
        blocked = (seqs == self.pad)[:, None, :].expand(b, n, n)
        blocked = blocked & ~torch.eye(n, dtype=torch.bool, device=seqs.device)
        blocked = blocked.repeat_interleave(self.heads, 0)
        y = self.attn(x, x, x, attn_mask=blocked, is_causal=True, need_weights=False)[0]  # expect: ML402
        return self.out(x + y)
