"""open_lm-style evaluation harness: batched generation with left padding.
The model supports an attention_mask (turned into an SDPA mask) but the
generate wrapper never passes one."""
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
        b, s, d = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            mask = torch.ones(s, s, dtype=torch.bool).tril() & attention_mask.bool()[:, None, None, :]
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out_proj(o.transpose(1, 2).reshape(b, s, d))


class Transformer(nn.Module):
    def __init__(self, vocab=64, dim=32, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(CustomAttn(dim) for _ in range(n_layers))
        self.output = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.tok_embeddings(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return self.output(h)


class OpenLMforCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Transformer()

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=1):
        logits = self.model(input_ids, attention_mask=attention_mask)
        return logits[:, -1].argmax(-1), logits


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = OpenLMforCausalLM()
    ids = torch.tensor([[0, 0, 0, 11, 12, 13], [21, 22, 23, 24, 25, 26]])
    am = (ids != 0).long()
    ids2 = ids.clone(); ids2[0, :3] = torch.tensor([40, 41, 42])
    _, a = lm.generate(ids, am)
    _, b = lm.generate(ids2, am)
    print("next-token logit change from left-pad content:", (a[0, -1] - b[0, -1]).abs().max().item())
