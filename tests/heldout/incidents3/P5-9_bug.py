import torch
import torch.nn as nn
import torch.nn.functional as F


class OpenLMBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.out = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        b, s, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.out(a.transpose(1, 2).reshape(b, s, d))
        return x + self.mlp(self.norm2(x))


class OpenLM(nn.Module):
    def __init__(self, vocab=128, dim=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(OpenLMBlock(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    def forward(self, input_ids, attention_mask=None, position_ids=None):
        s = input_ids.size(1)
        if position_ids is None:
            position_ids = torch.arange(s, device=input_ids.device)[None]
        mask = torch.ones(s, s, dtype=torch.bool, device=input_ids.device).tril()[None, None]
        if attention_mask is not None:
            mask = mask & attention_mask.bool()[:, None, None, :]
            mask = mask | torch.eye(s, dtype=torch.bool, device=input_ids.device)
        h = self.tok(input_ids) + self.pos(position_ids)
        for blk in self.blocks:
            h = blk(h, mask)
        return self.head(h)


@torch.no_grad()
def generate(model, prompts, pad_id=0, max_new_tokens=4):
    width = max(len(p) for p in prompts)
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])  # left padding
    attention_mask = (torch.arange(width)[None] >= torch.tensor([width - len(p) for p in prompts])[:, None]).long()
    for _ in range(max_new_tokens):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        logits = model(input_ids, position_ids=position_ids)  # BUG
        next_tok = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, next_tok], dim=1)
        attention_mask = F.pad(attention_mask, (0, 1), value=1)
    return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OpenLM().eval()
    short, long = [5, 9, 2], [7, 3, 8, 4, 6, 1]
    batched = generate(model, [short, long])
    alone = generate(model, [short])
    print("short prompt: batched", batched[0, -4:].tolist(), "alone", alone[0, -4:].tolist())
