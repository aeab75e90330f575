import torch
from torch import nn
import torch.nn.functional as F


class LeftPaddedChatLM(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim, bias=False) for _ in range(depth))
        self.o = nn.ModuleList(nn.Linear(dim, dim, bias=False) for _ in range(depth))
        self.norm = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        b, n = input_ids.shape
        causal = torch.ones(n, n, dtype=torch.bool, device=input_ids.device).tril()
        keep = attention_mask.unsqueeze(1).unsqueeze(2).bool() & causal
        keep = keep | torch.eye(n, dtype=torch.bool, device=input_ids.device)
        x = self.emb(input_ids)
        for qkv, o, norm in zip(self.qkv, self.o, self.norm):
            q, k, v = qkv(norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            x = x + o(F.scaled_dot_product_attention(q, k, v, attn_mask=keep).transpose(1, 2).reshape(b, n, -1))
        return self.lm_head(x)

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, steps):
        for _ in range(steps):
            nxt = self(input_ids, attention_mask)[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
        return input_ids


if __name__ == "__main__":
    ids = torch.randint(1, 1000, (2, 8))
    am = torch.ones_like(ids)
    am[0, :3] = 0
    print(LeftPaddedChatLM().generate(ids, am, 4))
