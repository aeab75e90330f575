import torch
import torch.nn.functional as F
from torch import nn


class HunYuanConfig:
    hidden_size = 32
    num_attention_heads = 4
    vocab_size = 64
    num_hidden_layers = 2


def _prepare_decoder_attention_mask(attention_mask, input_shape, dtype):
    bsz, tgt_len = input_shape
    causal = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min).triu(1)[None, None]
    expanded = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
    return (causal + expanded).clamp(min=torch.finfo(dtype).min)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = q @ k.transpose(2, 3) / self.head_dim ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(b, s, -1))


class HunYuanForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        if attention_mask is not None:
            attention_mask = _prepare_decoder_attention_mask(attention_mask, input_ids.shape, h.dtype)
        else:
            attention_mask = _prepare_decoder_attention_mask(torch.ones_like(input_ids), input_ids.shape, h.dtype)  # BUG
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.lm_head(h)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=4):
        for _ in range(max_new_tokens):
            nxt = self(input_ids, attention_mask)[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanForCausalLM(HunYuanConfig()).eval()
    prompt = torch.randint(0, 64, (1, 10))
    with torch.no_grad():
        gap = (model(prompt, torch.ones_like(prompt)) - model(prompt)).abs().max().item()
    differ = (model.generate(prompt, torch.ones_like(prompt)) != model.generate(prompt)).sum().item()
    print(f"logits with vs without attention_mask: max diff = {gap:.4f}; generated tokens differing = {differ}/4")
