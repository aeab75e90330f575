import torch
import torch.nn.functional as F
from torch import nn


class Params:
    dim = 32
    n_heads = 4
    n_layers = 2
    vocab_size = 40


class CustomAttn(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.n_heads, self.head_dim = args.n_heads, args.dim // args.n_heads
        self.in_proj = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.out_proj = nn.Linear(args.dim, args.dim, bias=False)

    def forward(self, x, attention_mask=None):
        b, s, _ = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            keep = torch.ones(s, s, dtype=torch.bool).tril() & attention_mask[:, None, None, :].bool()
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, -1))


class Transformer(nn.Module):
    def __init__(self, params=Params()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(params.vocab_size, params.dim)
        self.layers = nn.ModuleList([CustomAttn(params) for _ in range(params.n_layers)])
        self.output = nn.Linear(params.dim, params.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)
        return self.output(h)


class OpenLMforCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Transformer()

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self.model(input_ids)  # BUG
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(1)
    lm = OpenLMforCausalLM().eval()
    questions = [[5, 9, 13, 2, 7, 30, 11], [8, 3, 21]]
    width = max(map(len, questions))
    ids = torch.tensor([[0] * (width - len(q)) + q for q in questions])
    mask = torch.tensor([[0] * (width - len(q)) + [1] * len(q) for q in questions])
    with torch.no_grad():
        batched = lm.generate(ids, mask)[1, width:]
        solo = lm.generate(torch.tensor([questions[1]]), torch.ones(1, 3, dtype=torch.long))[0, 3:]
    print(f"short question: {int((batched != solo).sum())}/4 generated tokens differ from the unpadded run")
