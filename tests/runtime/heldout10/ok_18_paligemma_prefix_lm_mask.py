# EXPECT: ok prefix-LM keep-mask for SDPA built as causal | key_in_prefix (image + prompt tokens attend bidirectionally, suffix tokens causally), then AND-ed with the padding mask; the OR is intended here.
"""Vision-language prefix LM in the style of google-research/big_vision PaliGemma / HF PaliGemma (token_type_ids prefix mask), with scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.norm1 = nn.RMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.norm2 = nn.RMSNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 64, bias=False), nn.GELU(approximate="tanh"), nn.Linear(64, d, bias=False))
        self.p = p
        self.drop = nn.Dropout(p)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=self.p if self.training else 0.0)
        x = x + self.drop(self.o(y.transpose(1, 2).reshape(B, T, D)))
        return x + self.drop(self.mlp(self.norm2(x)))


class PaliGemmaLike(nn.Module):
    def __init__(self, vocab=50, d=32, h=4, n=2, patch_dim=12, p=0.1):
        super().__init__()
        self.img_proj = nn.Linear(patch_dim, d)
        self.tok = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(32, d)
        self.layers = nn.ModuleList([Layer(d, h, p) for _ in range(n)])
        self.norm = nn.RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    @staticmethod
    def prefix_lm_mask(token_type_ids, attention_mask):
        T = token_type_ids.size(1)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))[None]
        prefix_key = (token_type_ids == 0)[:, None, :]
        keep = (causal | prefix_key) & attention_mask.bool()[:, None, :]
        return keep[:, None]

    def forward(self, patches, ids, token_type_ids, attention_mask):
        x = torch.cat([self.img_proj(patches), self.tok(ids)], 1)
        n_img = patches.size(1)
        tt = torch.cat([torch.zeros(ids.size(0), n_img, dtype=torch.long), token_type_ids], 1)
        am = torch.cat([torch.ones(ids.size(0), n_img, dtype=torch.long), attention_mask], 1)
        x = x + self.pos(torch.arange(x.size(1)))[None]
        keep = self.prefix_lm_mask(tt, am)
        for layer in self.layers:
            x = layer(x, keep)
        return self.lm_head(self.norm(x))[:, n_img:]


def run():
    torch.manual_seed(0)
    model = PaliGemmaLike()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    patches = torch.randn(2, 4, 12)
    ids = torch.tensor([[5, 6, 7, 20, 21, 22, 2], [8, 9, 23, 24, 2, 0, 0]])
    tt = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1]])
    am = (ids != 0).long()
    model.train()
    logits = model(patches, ids, tt, am)
    labels = torch.where((tt[:, 1:] == 1) & (am[:, 1:] == 1), ids[:, 1:], torch.full_like(ids[:, 1:], -100))
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 50), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        p2 = torch.randn(1, 4, 12)
        seq = torch.tensor([[11, 12, 13]])
        t2 = torch.zeros_like(seq)
        for _ in range(4):
            logits = model(p2, seq, t2, torch.ones_like(seq))
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            seq = torch.cat([seq, nxt], 1)
            t2 = torch.cat([t2, torch.ones_like(nxt)], 1)
    return [loss.detach(), *grads, seq, logits[:, -1]]
