"""Mixture-of-experts style causal LM in the style of a Hub `modeling_hunyuan.py` (eager attention):
the decoder mask is derived from the `attention_mask` argument; greedy `generate()` helper."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HunYuanConfig:
    vocab_size = 100
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2


def _prepare_decoder_attention_mask(attention_mask, input_shape, dtype):
    bsz, tgt_len = input_shape
    if attention_mask is None:
        return None  # BUG
    min_val = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_val, dtype=dtype).triu(1)
    padding = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal[None, None] + padding).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / self.d ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(b, s, -1))


class HunYuanMoEMLP(nn.Module):
    def __init__(self, dim, n_experts=2):
        super().__init__()
        self.gate = nn.Linear(dim, n_experts, bias=False)
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Linear(2 * dim, dim)) for _ in range(n_experts)])

    def forward(self, x):
        w = self.gate(x).softmax(-1)
        return sum(w[..., i: i + 1] * e(x) for i, e in enumerate(self.experts))


class HunYuanForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.attn = nn.ModuleList([HunYuanAttention(config) for _ in range(config.num_hidden_layers)])
        self.mlp = nn.ModuleList([HunYuanMoEMLP(config.hidden_size) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        mask = _prepare_decoder_attention_mask(attention_mask, input_ids.shape, h.dtype)
        for attn, mlp in zip(self.attn, self.mlp):
            h = h + attn(h, mask)
            h = h + mlp(h)
        return self.lm_head(h)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=-1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=-1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanForCausalLM(HunYuanConfig()).eval()
    prompt = torch.randint(0, 100, (1, 6))
    print(model.generate(prompt))
    ids = torch.randint(0, 100, (2, 8))
    loss = F.cross_entropy(model(ids)[:, :-1].reshape(-1, 100), ids[:, 1:].reshape(-1))
    print("lm loss", loss.item())
