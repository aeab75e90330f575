"""Gemma-style causal LM with a hand-written 4D SDPA mask helper, imitating a patched
`_prepare_4d_causal_attention_mask_for_sdpa` as used by fine-tuning toolkits."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = dict(vocab_size=128, hidden_size=48, num_heads=4, num_layers=2, intermediate_size=96)


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape):
    bsz, q_len = input_shape
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    if attention_mask is None:
        return None
    expanded = attention_mask[:, None, None, :].bool()
    return causal[None, None, :, :] & expanded


class GemmaMLP(nn.Module):
    def __init__(self, hidden, inter):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inter, bias=False)
        self.up_proj = nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.gelu(self.gate_proj(x), approximate="tanh") * self.up_proj(x))


class GemmaAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv_proj = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attn_mask):
        b, s, _ = x.shape
        q, k, v = self.qkv_proj(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class GemmaDecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = nn.RMSNorm(cfg["hidden_size"])
        self.self_attn = GemmaAttention(cfg["hidden_size"], cfg["num_heads"])
        self.post_attention_layernorm = nn.RMSNorm(cfg["hidden_size"])
        self.mlp = GemmaMLP(cfg["hidden_size"], cfg["intermediate_size"])

    def forward(self, x, attn_mask):
        x = x + self.self_attn(self.input_layernorm(x), attn_mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class GemmaForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([GemmaDecoderLayer(cfg) for _ in range(cfg["num_layers"])])
        self.norm = nn.RMSNorm(cfg["hidden_size"])

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids) * math.sqrt(self.cfg["hidden_size"])
        mask = prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_ids.shape)
        for layer in self.layers:
            h = layer(h, mask)
        return self.norm(h) @ self.embed_tokens.weight.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GemmaForCausalLM(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
    input_ids = torch.randint(1, CONFIG["vocab_size"], (2, 10))
    attention_mask = torch.ones(2, 10, dtype=torch.int64)
    attention_mask[0, 8:] = 0
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    logits = model(input_ids, attention_mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, CONFIG["vocab_size"]), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
