import torch
import torch.nn as nn
import torch.nn.functional as F


class EagerAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) * q.size(-1) ** -0.5
        if mask is not None:
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        return self.o((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, d))


class TinyMoELM(nn.Module):
    def __init__(self, vocab=100, dim=64, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(EagerAttention(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    def _prepare_mask(self, attention_mask, seq_len, device):
        if attention_mask is None:
            attention_mask = torch.ones(1, seq_len, dtype=torch.long, device=device)
        causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril()
        return causal[None, None] & attention_mask.bool()[:, None, None, :]

    def forward(self, input_ids, attention_mask=None):
        h = self.embed(input_ids)
        mask = self._prepare_mask(attention_mask, input_ids.size(1), input_ids.device)
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.head(h)

    @torch.no_grad()
    def generate(self, input_ids, max_new_tokens=5, attention_mask=None):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)[:, -1]
            next_tok = logits.argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=1)
            if attention_mask is not None:
                attention_mask = F.pad(attention_mask, (0, 1), value=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyMoELM().eval()
    prompt = torch.randint(0, 100, (1, 6))
    print("greedy:", model.generate(prompt).tolist())  # called without attention_mask, as most users do
    full = model(prompt)
    prefix = model(prompt[:, :3])
    print("prefix logits depend on later tokens:", not torch.allclose(full[:, :3], prefix, atol=1e-5))
