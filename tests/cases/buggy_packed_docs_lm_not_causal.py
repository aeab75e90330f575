"""Packed-sequence LMs whose document mask has no causal part: tokens see later tokens of their own
document.  Document ids from a cumsum of BOS markers into SDPA (True = attend); segment ids compared
with != into nn.MultiheadAttention (True = blocked), expanded per head; a generation loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS = 1


class PackedGPT(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.emb, self.qkv, self.head, self.heads = nn.Embedding(vocab, d), nn.Linear(d, 3 * d), nn.Linear(d, vocab), heads

    def forward(self, tokens):
        b, t = tokens.shape
        doc = (tokens == BOS).cumsum(-1)
        same_doc = doc.unsqueeze(-1) == doc.unsqueeze(-2)
        q, k, v = self.qkv(self.emb(tokens)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=same_doc[:, None])  # expect: ML401
        logits = self.head(y.transpose(1, 2).reshape(b, t, -1))
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())


class SegmentDecoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.lm_head = nn.Linear(d, vocab)
        self.heads = heads

    def forward(self, ids, segment_ids):
        x = self.emb(ids)
        cross_segment = segment_ids[:, :, None] != segment_ids[:, None, :]
        mask = cross_segment.repeat_interleave(self.heads, dim=0)
        h, _ = self.attn(x, x, x, attn_mask=mask)  # expect: ML401
        return self.lm_head(h)

    @torch.no_grad()
    def generate(self, ids, segment_ids, steps=4):
        for _ in range(steps):
            nxt = self(ids, segment_ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
            segment_ids = torch.cat([segment_ids, segment_ids[:, -1:]], dim=1)
        return ids


class EpisodeWorldModel(nn.Module):
    """is_causal=True next to a block-diagonal episode mask on nn.TransformerEncoder: the hint is
    dropped on one path and the mask on the other."""

    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), 2)

    def forward(self, x, episode_id):
        other_episode = episode_id[:, :, None] != episode_id[:, None, :]
        h = self.encoder(  # expect: ML402
            x,
            mask=other_episode.repeat_interleave(self.heads, dim=0),
            is_causal=True,
        )
        return h
