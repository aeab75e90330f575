import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaConfig:
    vocab_size = 300
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2


class FastLlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def _split(self, x):
        b, s, _ = x.shape
        return self.qkv(x).view(b, s, 3, self.h, self.d).permute(2, 0, 3, 1, 4)

    def prefill(self, x, keep_mask):
        q, k, v = self._split(x)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep_mask)
        return self.o_proj(out.transpose(1, 2).flatten(2)), (k, v)

    def decode_one(self, x, past_kv, attention_mask):
        q, k, v = self._split(x)
        k = torch.cat([past_kv[0], k], dim=2)
        v = torch.cat([past_kv[1], v], dim=2)
        out = F.scaled_dot_product_attention(q, k, v)  # BUG
        return self.o_proj(out.transpose(1, 2).flatten(2)), (k, v)


class FastLlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([FastLlamaAttention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    @staticmethod
    def prefill_mask(attention_mask):
        s = attention_mask.shape[1]
        causal = torch.ones(s, s, dtype=torch.bool, device=attention_mask.device).tril()
        keep = causal[None, None] & attention_mask[:, None, None, :].bool()
        return keep | ~attention_mask[:, None, :, None].bool()

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=8):
        h = self.embed_tokens(input_ids)
        keep = self.prefill_mask(attention_mask)
        cache = []
        for layer in self.layers:
            out, kv = layer.prefill(h, keep)
            h = h + out
            cache.append(kv)
        for _ in range(max_new_tokens):
            next_tok = self.lm_head(h[:, -1:]).argmax(-1)
            input_ids = torch.cat([input_ids, next_tok], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
            h = self.embed_tokens(next_tok)
            for i, layer in enumerate(self.layers):
                out, cache[i] = layer.decode_one(h, cache[i], attention_mask)
                h = h + out
        return input_ids
