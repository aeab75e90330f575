# EXPECT: bug
"""Dialogue encoder: utterances are packed into one row, each token attends only to tokens of
its own utterance. Batch size and head count happen to both be 4."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SegmentAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_pdrop):
        super().__init__()
        self.n_heads = n_heads
        self.to_qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.to_out = nn.Linear(d_model, d_model)
        self.attn_pdrop = attn_pdrop

    def forward(self, x, seg_mask):
        b, n, d = x.shape
        qkv = self.to_qkv(x).view(b, n, 3, self.n_heads, d // self.n_heads)
        q, k, v = qkv.unbind(dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=seg_mask, dropout_p=self.attn_pdrop if self.training else 0.0)  # BUG-SITE
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class DialogueEncoder(nn.Module):
    def __init__(self, vocab=60, d_model=32, n_heads=4, depth=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.seg = nn.Embedding(8, d_model)
        self.blocks = nn.ModuleList([SegmentAttention(d_model, n_heads, p) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(depth)])
        self.drop = nn.Dropout(p)
        self.act_head = nn.Linear(d_model, 5)

    def forward(self, tokens, segment_ids):
        x = self.drop(self.tok(tokens) + self.seg(segment_ids))
        same_utt = segment_ids.unsqueeze(-1) == segment_ids.unsqueeze(-2)   # (B, L, L) keep
        for blk, norm in zip(self.blocks, self.norms):
            x = x + blk(norm(x), same_utt)
        return self.act_head(x)        # one dialogue act per token


def run():
    torch.manual_seed(0)
    model = DialogueEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    seg = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 2, 2, 2],
                        [0, 0, 1, 1, 1, 1, 1, 1, 2, 2],
                        [0, 0, 0, 0, 0, 1, 1, 2, 3, 3],
                        [0, 1, 1, 1, 2, 2, 2, 2, 2, 3]])
    tokens = torch.randint(0, 60, seg.shape)
    labels = torch.randint(0, 5, seg.shape)
    model.train()
    logits = model(tokens, seg)
    loss = F.cross_entropy(logits.reshape(-1, 5), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(tokens, seg)
    return [loss.detach(), ev]
