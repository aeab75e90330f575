"""Customer-support response generator; prompts arrive left-padded from the tokenizer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ReplyAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask):
        B, L, D = x.shape
        split = lambda t: t.view(B, L, self.heads, D // self.heads).transpose(1, 2)
        q, k, v = split(self.wq(x)), split(self.wk(x)), split(self.wv(x))
        causal_bias = torch.full((L, L), float("-inf"), device=x.device).triu(1)
        attn_bias = causal_bias + attention_mask[:, None, None, :].to(x.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # BUG: HF 1/0 attention_mask added as a bias; left padding stays visible
        return self.wo(out.transpose(1, 2).reshape(B, L, D))


class ReplyGenerator(nn.Module):
    def __init__(self, vocab=256, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(ReplyAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.norm_a = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.norm_m = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed(input_ids)
        for attn, mlp, na, nm in zip(self.attn, self.mlp, self.norm_a, self.norm_m):
            h = h + attn(na(h), attention_mask)
            h = h + mlp(nm(h))
        return self.lm_head(h)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            nxt = self(input_ids, attention_mask)[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids


def left_pad(prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    mask = torch.zeros(len(prompts), width, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    return {"input_ids": ids, "attention_mask": mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ReplyGenerator().eval()
    batch = left_pad([[5, 17, 99, 3, 42, 8], [11, 7]])
    logits = model(**batch)
    print("last", round(logits[:, -1].abs().mean().item(), 5))
    print(model.generate(**batch).tolist())
