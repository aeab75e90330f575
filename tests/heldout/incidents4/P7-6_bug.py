import torch
import torch.nn as nn
import torch.nn.functional as F


class Gemma4Config:
    def __init__(self, vocab_size=400, hidden_size=64, num_attention_heads=4, sliding_window=4,
                 layer_types=("sliding_attention", "full_attention")):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.sliding_window = sliding_window
        self.layer_types = list(layer_types)


def _causal(q_idx, kv_idx, window=None):
    allowed = kv_idx[None, :] <= q_idx[:, None]
    if window is not None:
        allowed = allowed & (kv_idx[None, :] > q_idx[:, None] - window)
    return allowed


def build_mask(config, attention_mask, layer_type):
    seq_len = attention_mask.shape[-1]
    idx = torch.arange(seq_len, device=attention_mask.device)
    window = config.sliding_window if layer_type == "sliding_attention" else None
    allowed = _causal(idx, idx, window)[None, None] & attention_mask.bool()[:, None, None, :]
    return allowed  # BUG


class Gemma4Attention(nn.Module):
    def __init__(self, config, layer_type):
        super().__init__()
        self.layer_type = layer_type
        self.h = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)  # BUG
        return self.o(out.transpose(1, 2).reshape(b, s, d))


class Gemma4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Gemma4Attention(config, t) for t in config.layer_types])
        self.norm = nn.RMSNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask_mapping = {t: build_mask(self.config, attention_mask, t) for t in set(self.config.layer_types)}
        for layer in self.layers:
            h = h + layer(h, mask_mapping[layer.layer_type])
        return self.norm(h)


class Gemma4ForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.model = Gemma4TextModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask):
        return self.lm_head(self.model(input_ids, attention_mask))
