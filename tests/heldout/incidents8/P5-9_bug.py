import torch
import torch.nn as nn
import torch.nn.functional as F


class Params:
    dim = 64
    n_heads = 4
    n_layers = 2
    vocab_size = 128


def torch_attn(queries, keys, values, is_causal, attention_mask=None):
    q, k, v = (t.transpose(1, 2) for t in (queries, keys, values))
    if attention_mask is None:
        out = F.scaled_dot_product_attention(q, k, v, is_causal=is_causal)
    else:
        L = q.shape[2]
        mask = torch.ones(L, L, dtype=torch.bool, device=q.device).tril() & attention_mask[:, None, None, :].bool()
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return out.transpose(1, 2)


class CustomAttn(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.n_heads, self.head_dim = args.n_heads, args.dim // args.n_heads
        self.in_proj = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.out_proj = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x, is_causal=True, attention_mask=None):
        b, n, d = x.shape
        q, k, v = self.in_proj(x).view(b, n, 3, self.n_heads, self.head_dim).unbind(2)
        return self.out_proj(torch_attn(q, k, v, is_causal, attention_mask).reshape(b, n, d))


class Transformer(nn.Module):
    def __init__(self, params):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList(CustomAttn(params) for _ in range(params.n_layers))
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        x = self.tok_embeddings(input_ids)
        for layer in self.layers:
            x = x + layer(x, is_causal=True, attention_mask=attention_mask)
        return self.output(x)


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=4):
    for _ in range(max_new_tokens):
        logits = model(input_ids)  # BUG
        next_token = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_token], dim=1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=1)
    return input_ids


if __name__ == "__main__":
    model = Transformer(Params()).eval()
    prompts = [[5, 9, 17, 3, 44, 8], [7, 21]]
    max_len = max(len(p) for p in prompts)
    input_ids = torch.tensor([[0] * (max_len - len(p)) + p for p in prompts])
    attention_mask = torch.tensor([[0] * (max_len - len(p)) + [1] * len(p) for p in prompts])
    print(generate(model, input_ids, attention_mask).shape)
