import torch
import torch.nn.functional as F
from torch import nn


def torch_attn(queries, keys, values, is_causal, attention_mask=None):
    # queries/keys/values: (batch, seq, heads, head_dim)
    queries, keys, values = (t.transpose(1, 2) for t in (queries, keys, values))
    if attention_mask is None:
        out = F.scaled_dot_product_attention(queries, keys, values, is_causal=is_causal)
    else:
        q_len, k_len = queries.shape[-2], keys.shape[-2]
        mask = attention_mask.bool()[:, None, None, :]
        if is_causal:
            mask = mask & torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
        out = F.scaled_dot_product_attention(queries, keys, values, attn_mask=mask)
    return out.transpose(1, 2)


class CustomAttn(nn.Module):
    def __init__(self, dim=16, n_heads=2):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, is_causal=True, attention_mask=None):
        b, s, d = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, self.head_dim).unbind(2)
        return self.out_proj(torch_attn(q, k, v, is_causal, attention_mask).reshape(b, s, d))


class Transformer(nn.Module):
    def __init__(self, vocab_size=40, dim=16, n_layers=2, seq_len=32):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.pos = nn.Embedding(seq_len, dim)
        self.layers = nn.ModuleList([CustomAttn(dim) for _ in range(n_layers)])
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0) if attention_mask is not None else torch.arange(input_ids.shape[1])
        x = self.tok_embeddings(input_ids) + self.pos(pos)
        for layer in self.layers:
            x = x + layer(x, is_causal=True, attention_mask=attention_mask)
        return self.output(x)


class OpenLMforCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Transformer()

    def forward(self, input_ids, attention_mask=None, **kwargs):
        return self.model(input_ids, attention_mask=attention_mask)

    def prepare_inputs_for_generation(self, input_ids, past_key_values=None, **kwargs):
        model_inputs = {"input_ids": input_ids}
        model_inputs["attention_mask"] = None  # BUG
        return model_inputs

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=3):
        for _ in range(max_new_tokens):
            logits = self(**self.prepare_inputs_for_generation(input_ids, attention_mask=attention_mask))
            next_tok = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OpenLMforCausalLM().eval()
    batch = torch.tensor([[0, 0, 0, 5, 9, 3], [7, 2, 8, 4, 6, 1]])
    mask = (batch != 0).long()
    with torch.no_grad():
        first = model(**model.prepare_inputs_for_generation(batch, attention_mask=mask))[0, -1]
        alone = model(**model.prepare_inputs_for_generation(batch[:1, 3:], attention_mask=mask[:1, 3:]))[0, -1]
    print(f"next-token logits of the left-padded prompt, batched vs alone: max diff {(first - alone).abs().max().item():.4f}")
