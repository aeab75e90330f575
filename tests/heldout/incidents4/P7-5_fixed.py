import torch
import torch.nn as nn
import torch.nn.functional as F


class Gemma4TextConfig:
    vocab_size = 512
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2
    torch_dtype = torch.float16


def sdpa_mask(attention_mask, q_len, kv_len, past_len=0):
    q_pos = torch.arange(past_len, past_len + q_len, device=attention_mask.device)
    kv_pos = torch.arange(kv_len, device=attention_mask.device)
    causal = kv_pos[None, :] <= q_pos[:, None]
    mask = causal[None, None] & attention_mask[:, None, None, :kv_len].bool()
    fully_masked = ~mask.any(dim=-1, keepdim=True)
    return mask | fully_masked


class Gemma4Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class Gemma4ForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Gemma4Attention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids) * self.config.hidden_size ** 0.5
        mask = sdpa_mask(attention_mask, input_ids.shape[1], input_ids.shape[1])
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.lm_head(self.norm(h))


@torch.no_grad()
def generate(model, batch, max_new_tokens=8):
    input_ids, attention_mask = batch["input_ids"], batch["attention_mask"]
    for _ in range(max_new_tokens):
        logits = model(input_ids, attention_mask)[:, -1].float()
        next_tokens = logits.argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tokens], dim=-1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_tokens)], dim=-1)
    return input_ids


def load_for_inference(config):
    model = Gemma4ForCausalLM(config).to(dtype=config.torch_dtype)
    return model.eval()
