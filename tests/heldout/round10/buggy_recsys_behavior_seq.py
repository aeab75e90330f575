"""Click-through-rate model over a user's behaviour sequence plus the candidate item (BST-style)."""
import torch
import torch.nn as nn


class BehaviourEncoder(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.LeakyReLU(), nn.Linear(4 * d, d))

    def forward(self, x, item_mask):
        B, L, _ = x.shape
        pair_mask = (~item_mask)[:, None, :].expand(-1, L, -1)
        attn_mask = pair_mask.unsqueeze(0).expand(self.heads, -1, -1, -1).reshape(self.heads * B, L, L)
        a, _ = self.mha(x, x, x, attn_mask=attn_mask)  # expect: ML302
        x = self.ln1(x + a)
        return self.ln2(x + self.ffn(x))


class BST(nn.Module):
    def __init__(self, n_items=10000, n_cates=200, d=32, heads=4, max_len=20, n_user_feats=8):
        super().__init__()
        self.item = nn.Embedding(n_items, d // 2, padding_idx=0)
        self.cate = nn.Embedding(n_cates, d // 2, padding_idx=0)
        self.pos = nn.Embedding(max_len + 1, d)
        self.encoder = BehaviourEncoder(d, heads)
        self.user = nn.Linear(n_user_feats, d)
        self.mlp = nn.Sequential(nn.Linear(d * (max_len + 1) + d, 128), nn.LeakyReLU(), nn.Linear(128, 1))

    def forward(self, hist_items, hist_cates, target_item, target_cate, user_feats):
        items = torch.cat([hist_items, target_item[:, None]], dim=1)
        cates = torch.cat([hist_cates, target_cate[:, None]], dim=1)
        x = torch.cat([self.item(items), self.cate(cates)], dim=-1)
        x = x + self.pos(torch.arange(items.size(1), device=items.device))
        h = self.encoder(x, items != 0)
        h = h.masked_fill((items == 0).unsqueeze(-1), 0.0)
        z = torch.cat([h.flatten(1), self.user(user_feats)], dim=-1)
        return self.mlp(z).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, L = 5, 20
    lengths = torch.tensor([20, 3, 11, 7, 15])
    hist = torch.randint(1, 10000, (B, L))
    cates = torch.randint(1, 200, (B, L))
    valid = torch.arange(L)[None, :] >= (L - lengths)[:, None]  # left-padded history
    hist, cates = hist * valid, cates * valid
    model = BST()
    logit = model(hist, cates, torch.randint(1, 10000, (B,)), torch.randint(1, 200, (B,)), torch.randn(B, 8))
    loss = nn.functional.binary_cross_entropy_with_logits(logit, torch.randint(0, 2, (B,)).float())
    loss.backward()
    print(logit.detach(), loss.item())
