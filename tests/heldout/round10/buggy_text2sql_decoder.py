"""Text-to-SQL: decoder-only model over '<question> <sep> <schema> <sep> <sql>' with right-padded batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, n_heads, p_drop=0.1):
        super().__init__()
        self.n_heads, self.p_drop = n_heads, p_drop
        self.wqkv = nn.Linear(d, 3 * d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def forward(self, x, keep):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_heads, D // self.n_heads).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        p = self.p_drop if self.training else 0.0
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p, is_causal=True)  # expect: ML403
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.w, self.eps = nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return self.w * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class SQLCoder(nn.Module):
    def __init__(self, vocab=2048, d=64, n_heads=4, n_layers=2, max_len=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(Attention(d, n_heads) for _ in range(n_layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, 3 * d), nn.SiLU(), nn.Linear(3 * d, d))
                                 for _ in range(n_layers))
        self.n1 = nn.ModuleList(RMSNorm(d) for _ in range(n_layers))
        self.n2 = nn.ModuleList(RMSNorm(d) for _ in range(n_layers))
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        keep = (ids != self.pad_id)[:, None, None, :]
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for attn, mlp, n1, n2 in zip(self.attn, self.mlp, self.n1, self.n2):
            x = x + attn(n1(x), keep)
            x = x + mlp(n2(x))
        return self.head(x)

    @torch.no_grad()
    def generate(self, prompt, max_new=8, eos_id=2):
        ids = prompt
        for _ in range(max_new):
            nxt = self(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
            if (nxt == eos_id).all():
                break
        return ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SQLCoder().eval()
    prompt = torch.randint(3, 2048, (1, 20))
    print(model.generate(prompt).shape)
    batch = torch.randint(3, 2048, (3, 30))
    batch[1, 22:] = 0
    logits = model(batch)
    print(F.cross_entropy(logits[:, :-1].transpose(1, 2), batch[:, 1:], ignore_index=0).item())
