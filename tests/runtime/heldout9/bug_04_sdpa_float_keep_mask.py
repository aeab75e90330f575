# EXPECT: bug the 0/1 tokenizer attention_mask is cast to float and passed to F.scaled_dot_product_attention, where float masks are added to the scores, so padding is not masked at all (kept keys just get +1).
"""Imitates an open_clip / timm style text tower (pre-norm residual attention
blocks calling F.scaled_dot_product_attention) used as a bidirectional sentence
encoder with masked mean pooling and an in-batch contrastive loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4, attn_drop=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.attn_drop = attn_drop

    def forward(self, x, attn_mask=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=attn_mask, dropout_p=self.attn_drop if self.training else 0.0
        )
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 4), nn.GELU(), nn.Linear(dim * 4, dim))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, attn_mask=None):
        x = x + self.drop(self.attn(self.ln_1(x), attn_mask=attn_mask))
        return x + self.drop(self.mlp(self.ln_2(x)))


class TextTower(nn.Module):
    def __init__(self, vocab=48, width=32, heads=4, layers=2, context_length=12, embed_dim=16):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context_length, width) * 0.01)
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Linear(width, embed_dim, bias=False)

    def forward(self, input_ids, attention_mask):
        x = self.token_embedding(input_ids) + self.positional_embedding[: input_ids.size(1)]
        attn_mask = attention_mask[:, None, None, :].to(x.dtype)  # [B, 1, 1, N]
        for blk in self.resblocks:
            x = blk(x, attn_mask=attn_mask)
        x = self.ln_final(x)
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * w).sum(1) / w.sum(1)
        return F.normalize(self.text_projection(pooled), dim=-1)


def pad_batch(seqs):
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    model = TextTower()
    logit_scale = nn.Parameter(torch.tensor(2.0))
    opt = torch.optim.AdamW(list(model.parameters()) + [logit_scale], lr=1e-3)
    g = torch.Generator().manual_seed(11)
    lengths = (8, 5, 12, 3)
    anchors = pad_batch([torch.randint(1, 48, (n,), generator=g) for n in lengths])
    positives = pad_batch([torch.randint(1, 48, (n,), generator=g) for n in (6, 9, 4, 10)])

    model.train()
    za = model(*anchors)
    zp = model(*positives)
    logits = logit_scale.exp() * za @ zp.t()
    target = torch.arange(len(lengths))
    loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in list(model.parameters()) + [logit_scale]]

    model.eval()
    with torch.no_grad():
        q = model(*pad_batch([torch.randint(1, 48, (n,), generator=g) for n in (4, 11, 7)]))
        sims = q @ za.detach().t()
    return [loss.detach(), *grads, q, sims]
