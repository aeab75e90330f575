# EXPECT: bug
"""Behaviour Sequence Transformer (CTR prediction). Attention is called through
F.multi_head_attention_forward with packed weights, seq-first layout."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BehaviourAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout):
        super().__init__()
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, padding_mask):
        # x: (L, N, E); padding_mask: (N, L) bool, True = padded behaviour slot
        L, N, _ = x.shape
        mask = padding_mask[:, None, :].expand(N, L, L)                       # (N, L, S)
        mask = mask.unsqueeze(0).expand(self.num_heads, N, L, L).reshape(self.num_heads * N, L, L)
        out, _ = F.multi_head_attention_forward(x, x, x, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, None, None, False, self.dropout, self.out_proj.weight, self.out_proj.bias, training=self.training, need_weights=False, attn_mask=mask)  # BUG-SITE
        return out


class BST(nn.Module):
    def __init__(self, n_items=50, n_users=10, dim=16, heads=4, p=0.1, max_len=8):
        super().__init__()
        self.item = nn.Embedding(n_items, dim, padding_idx=0)
        self.user = nn.Embedding(n_users, dim)
        self.pos = nn.Embedding(max_len + 1, dim)
        self.attn = BehaviourAttention(dim, heads, p)
        self.ln = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim * (max_len + 1) + dim, 64), nn.LeakyReLU(), nn.Dropout(p),
                                 nn.Linear(64, 1))

    def forward(self, history, target_item, user):
        seq = torch.cat([history, target_item[:, None]], dim=1)             # (N, L)
        pad = seq.eq(0)
        x = self.item(seq) + self.pos(torch.arange(seq.size(1)))
        h = self.attn(x.transpose(0, 1), pad).transpose(0, 1)
        h = self.ln(x + h)
        feats = torch.cat([h.flatten(1), self.user(user)], dim=-1)
        return self.mlp(feats).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = BST()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    hist = torch.randint(1, 50, (5, 8))
    lens = torch.tensor([8, 2, 5, 3, 7])
    hist = hist * (torch.arange(8)[None] >= (8 - lens[:, None]))             # left padded
    target = torch.randint(1, 50, (5,))
    user = torch.randint(0, 10, (5,))
    clicked = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0])
    model.train()
    loss = F.binary_cross_entropy_with_logits(model(hist, target, user), clicked)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = torch.sigmoid(model(hist, target, user))
    return [loss.detach(), ev]
