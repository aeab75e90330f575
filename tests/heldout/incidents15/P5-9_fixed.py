import torch
import torch.nn as nn
import torch.nn.functional as F


def torch_attn(queries, keys, values, is_causal, attention_mask=None):
    if attention_mask is None:
        return F.scaled_dot_product_attention(queries, keys, values, is_causal=is_causal)
    q_len, k_len = queries.shape[-2], keys.shape[-2]
    mask = attention_mask[:, None, None, :].bool()
    if is_causal:
        mask = mask & torch.ones(q_len, k_len, dtype=torch.bool).tril(k_len - q_len)
    return F.scaled_dot_product_attention(queries, keys, values, attn_mask=mask)


class CustomAttn(nn.Module):
    def __init__(self, dim=16, n_heads=2):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, is_causal=True, attention_mask=None):
        b, s, _ = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = torch_attn(q, k, v, is_causal, attention_mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, -1))


class Transformer(nn.Module):
    def __init__(self, vocab_size=40, dim=16, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList(CustomAttn(dim) for _ in range(n_layers))
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        x = self.tok_embeddings(input_ids)
        for layer in self.layers:
            x = x + layer(x, is_causal=True, attention_mask=attention_mask)
        return self.output(x)


class OpenLMforCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Transformer()

    def prepare_inputs_for_generation(self, input_ids, attention_mask=None, **kwargs):
        return {"input_ids": input_ids, "attention_mask": attention_mask}  # BUG

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=3):
        for _ in range(max_new_tokens):
            logits = self.model(**self.prepare_inputs_for_generation(input_ids, attention_mask=attention_mask))
            next_token = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_token], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=1)
        return input_ids, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OpenLMforCausalLM().eval()
    prompts = torch.tensor([[0, 0, 0, 7, 8, 9], [3, 4, 5, 7, 8, 9]])
    attention_mask = (prompts != 0).long()
    _, batched_logits = model.generate(prompts, attention_mask)
    _, alone_logits = model.generate(prompts[:1, 3:], attention_mask[:1, 3:])
    print(f"left-padded prompt: last-step logits vs unpadded run: {(batched_logits[0, -1] - alone_logits[0, -1]).abs().max().item():.4f}")
