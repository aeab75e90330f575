"""E-commerce query/product two-tower retrieval; towers share an SDPA encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Tower(nn.Module):
    def __init__(self, vocab=3000, d=32, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        B, S, D = x.shape
        ext = attention_mask[:, None, None, :].to(x.dtype)
        for qkv, o, norm in zip(self.qkv, self.o, self.norm):
            q, k, v = qkv(norm(x)).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=ext)  # BUG: HF 1/0 mask cast to float is added to the scores (+1 on tokens), padding is not blocked
            x = x + o(y.transpose(1, 2).reshape(B, S, D))
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * w).sum(1) / w.sum(1), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    tower = Tower()
    q_ids = torch.randint(1, 3000, (2, 8))
    q_att = torch.tensor([[1] * 8, [1] * 3 + [0] * 5])
    p_ids = torch.randint(1, 3000, (2, 20))
    p_att = torch.tensor([[1] * 20, [1] * 12 + [0] * 8])
    sim = tower(q_ids, q_att) @ tower(p_ids, p_att).t()
    print("sim", [[round(v, 4) for v in row] for row in sim.tolist()])
