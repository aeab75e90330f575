import torch
import torch.nn as nn
import torch.nn.functional as F


class OpenLMConfig:
    def __init__(self, vocab_size=400, dim=64, n_heads=4, n_layers=2):
        self.vocab_size = vocab_size
        self.dim = dim
        self.n_heads = n_heads
        self.n_layers = n_layers


class CustomAttn(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.in_proj = nn.Linear(cfg.dim, 3 * cfg.dim, bias=False)
        self.out_proj = nn.Linear(cfg.dim, cfg.dim, bias=False)

    def forward(self, x, attention_mask=None):
        b, s, d = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.ones(s, s, dtype=torch.bool, device=x.device).tril()
            keep = causal[None, None] & attention_mask[:, None, None, :].bool()
            keep = keep | ~attention_mask[:, None, :, None].bool()
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, d))


class Transformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList([CustomAttn(cfg) for _ in range(cfg.n_layers)])
        self.output = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return self.output(h)


class OpenLMforCausalLM(nn.Module):
    main_input_name = "input_ids"

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = Transformer(config)

    def forward(self, input_ids, attention_mask=None):
        return self.model(input_ids, attention_mask=attention_mask)

    def prepare_inputs_for_generation(self, input_ids, attention_mask=None, **kwargs):
        return {"input_ids": input_ids}  # BUG

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=16, eos_token_id=None):
        for _ in range(max_new_tokens):
            model_inputs = self.prepare_inputs_for_generation(input_ids, attention_mask=attention_mask)
            logits = self(**model_inputs)
            next_tokens = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tokens], dim=-1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(next_tokens)], dim=-1)
            if eos_token_id is not None and (next_tokens == eos_token_id).all():
                break
        return input_ids


def run_eval(model, tokenizer_batch):
    out = model.generate(tokenizer_batch["input_ids"], attention_mask=tokenizer_batch["attention_mask"], max_new_tokens=8)
    return out[:, tokenizer_batch["input_ids"].shape[1]:]
