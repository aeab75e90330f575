"""Mention-pair scorer with sentence-local attention; run directly for a smoke test."""
import torch
import torch.nn as nn


class MentionContext(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.score = nn.Bilinear(dim, dim, 1)

    def sentence_mask(self, sent_ids):
        blocked = sent_ids[:, :, None] != sent_ids[:, None, :]
        return blocked.repeat_interleave(self.heads, dim=0)

    def forward(self, mentions, sent_ids):
        ctx, _ = self.attn(mentions, mentions, mentions, attn_mask=self.sentence_mask(sent_ids))
        h = self.norm(mentions + ctx)
        M = h.size(1)
        left = h[:, :, None].expand(-1, -1, M, -1).reshape(-1, h.size(-1))
        right = h[:, None].expand(-1, M, -1, -1).reshape(-1, h.size(-1))
        return self.score(left, right).view(h.size(0), M, M)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MentionContext()
    mentions = torch.randn(3, 6, 32)
    sent_ids = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 1, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]])
    print(model(mentions, sent_ids).shape)
