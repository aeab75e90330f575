import torch
import torch.nn.functional as F
from torch import nn


class CustomAttn(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask=None):
        b, n, d = x.shape
        q, k, v = self.in_proj(x).view(b, n, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = torch.ones(n, n, dtype=torch.bool).tril()[None, None] & attention_mask[:, None, None, :].bool()
            keep = keep | ~keep.any(-1, keepdim=True)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.out_proj(out.transpose(1, 2).reshape(b, n, d))


class Transformer(nn.Module):
    def __init__(self, vocab_size=64, dim=32, n_layers=2, seq_len=32):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList([CustomAttn(dim) for _ in range(n_layers)])
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.output(h)


class OpenLMforCausalLM:
    def __init__(self, model, pad_token_id=0):
        self.model = model
        self.pad_token_id = pad_token_id

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self.model(input_ids, attention_mask=attention_mask)
            next_tokens = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tokens], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tokens)], dim=1)
        return input_ids


def left_pad(prompts, pad_token_id=0):
    max_len = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_token_id] * (max_len - len(p)) + p for p in prompts])
    return ids, (ids != pad_token_id).long()


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = OpenLMforCausalLM(Transformer().eval())
    prompts = [[12, 5, 33], [7, 21, 9, 40, 18, 2, 25]]
    ids, mask = left_pad(prompts)
    batched = lm.generate(ids, mask)[0, -4:]
    single = lm.generate(*left_pad(prompts[:1]))[0, -4:]
    print(f"short prompt greedy continuation: batched {batched.tolist()} vs single {single.tolist()}; match={batched.tolist() == single.tolist()}")
