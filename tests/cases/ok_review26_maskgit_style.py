"""Iterative parallel decoding with a bidirectional token transformer (MaskGIT-like, but growing
the canvas by one block of masked tokens per round and filling the most confident ones). Correct:
bidirectional by design."""
import torch
import torch.nn as nn


class TokenCritic(nn.Module):
    def __init__(self, vocab=1025, d=256, h=8, n=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, 4 * d, batch_first=True), n)
        self.out = nn.Linear(d, vocab)

    def forward(self, codes):
        return self.out(self.blocks(self.emb(codes)))

    @torch.no_grad()
    def outpaint(self, codes, mask_id, block=16, rounds=4):
        for _ in range(rounds):
            new = torch.full_like(codes[:, :block], mask_id)
            codes = torch.cat([codes, new], dim=1)
            for _ in range(4):
                logits = self(codes)
                conf, pred = logits.softmax(-1).max(-1)
                masked = codes == mask_id
                conf = conf.masked_fill(~masked, -1.0)
                k = max(1, int(masked[:, -1].float().sum().item()) // 2)
                idx = conf.topk(k, dim=-1).indices
                codes.scatter_(1, idx, pred.gather(1, idx))
        return codes
