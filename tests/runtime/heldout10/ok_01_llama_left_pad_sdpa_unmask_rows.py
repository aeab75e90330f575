# EXPECT: ok left-padded batched generation with a KV cache: a 4-D boolean keep-mask (causal AND padding) for SDPA whose fully padded query rows are explicitly re-opened (HF _unmask_unattended style), and decode steps that keep the full key-padding mask.
"""Llama-style causal LM with left-padded batched generation and a key/value cache, in the style of HF LlamaModel._update_causal_mask (sdpa backend)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 48
    hidden_size = 32
    num_heads = 4
    num_layers = 2
    dropout = 0.1


def rope(x, pos):
    d = x.size(-1)
    inv = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
    f = pos[:, None, :, None].float() * inv
    emb = torch.cat([f, f], -1)
    x1, x2 = x.chunk(2, -1)
    return x * emb.cos() + torch.cat([-x2, x1], -1) * emb.sin()


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size, bias=False)
        self.o = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.p = cfg.dropout

    def forward(self, x, pos, mask, past=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        q, k = rope(q, pos), rope(k, pos)
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attn = Attention(cfg)
        self.n1 = nn.RMSNorm(cfg.hidden_size)
        self.n2 = nn.RMSNorm(cfg.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(cfg.hidden_size, 64, bias=False), nn.SiLU(), nn.Linear(64, cfg.hidden_size, bias=False))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, pos, mask, past=None):
        a, present = self.attn(self.n1(x), pos, mask, past)
        x = x + self.drop(a)
        return x + self.drop(self.mlp(self.n2(x))), present


class CausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.emb = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg.num_layers)])
        self.norm = nn.RMSNorm(cfg.hidden_size)
        self.head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)

    @staticmethod
    def build_mask(attention_mask, past_len, q_len):
        kv_len = past_len + q_len
        causal = torch.arange(kv_len)[None, :] <= (torch.arange(q_len)[:, None] + past_len)
        keep = causal[None, None] & attention_mask[:, None, None, :kv_len].bool()
        fully_masked = ~keep.any(dim=-1, keepdim=True)
        return keep | fully_masked

    def forward(self, ids, attention_mask, past=None):
        past_len = 0 if past is None else past[0][0].size(2)
        q_len = ids.size(1)
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)[:, past_len:past_len + q_len]
        mask = self.build_mask(attention_mask, past_len, q_len)
        x = self.emb(ids)
        presents = []
        for i, layer in enumerate(self.layers):
            x, pr = layer(x, pos, mask, None if past is None else past[i])
            presents.append(pr)
        return self.head(self.norm(x)), presents


def run():
    torch.manual_seed(0)
    cfg = Config()
    model = CausalLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(1, cfg.vocab_size, (3, 10))
    am = torch.ones_like(ids)
    ids[1, :4] = 0
    am[1, :4] = 0
    model.train()
    logits, _ = model(ids[:, :-1], am[:, :-1])
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    prompts = torch.randint(1, cfg.vocab_size, (2, 6))
    pam = torch.ones_like(prompts)
    prompts[1, :3] = 0
    pam[1, :3] = 0
    with torch.no_grad():
        logits, past = model(prompts, pam)
        out = prompts
        for _ in range(4):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
            pam = torch.cat([pam, torch.ones_like(nxt)], 1)
            logits, past = model(nxt, pam, past)
    return [loss.detach(), *grads, out, logits[:, -1]]
