# EXPECT: bug the per-user (B, S, S) causal+padding mask is stacked head-major (mask.unsqueeze(0).expand(H, ...).reshape(H*B, S, S)) while nn.MultiheadAttention expects index b*num_heads + h, so heads receive other users' padding masks.
"""Behaviour Sequence Transformer CTR model in the style of reczoo/FuxiCTR (BST / DIN-style behaviour sequence encoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BehaviorTransformer(nn.Module):
    def __init__(self, embedding_dim, num_heads, dropout, use_causal_mask=True):
        super().__init__()
        self.num_heads = num_heads
        self.use_causal_mask = use_causal_mask
        self.attention = nn.MultiheadAttention(embedding_dim, num_heads, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(embedding_dim, embedding_dim * 2), nn.LeakyReLU(), nn.Linear(embedding_dim * 2, embedding_dim))
        self.dropout = nn.Dropout(dropout)
        self.ln1 = nn.LayerNorm(embedding_dim)
        self.ln2 = nn.LayerNorm(embedding_dim)

    def get_attn_mask(self, padding_mask):
        B, S = padding_mask.shape
        mask = padding_mask.unsqueeze(1).expand(B, S, S)
        if self.use_causal_mask:
            causal = torch.triu(torch.ones(S, S, dtype=torch.bool), 1)
            mask = mask | causal.unsqueeze(0)
        return mask.unsqueeze(0).expand(self.num_heads, -1, -1, -1).reshape(self.num_heads * B, S, S)

    def forward(self, seq, padding_mask):
        attn_mask = self.get_attn_mask(padding_mask)
        out, _ = self.attention(seq, seq, seq, attn_mask=attn_mask)  # BUG-SITE
        s = self.ln1(seq + self.dropout(out))
        return self.ln2(s + self.dropout(self.ffn(s)))


class BST(nn.Module):
    def __init__(self, num_items=50, num_users=20, dim=16, num_heads=2, seq_len=7, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(num_items, dim, padding_idx=0)
        self.user_emb = nn.Embedding(num_users, dim)
        self.pos_emb = nn.Embedding(seq_len + 1, dim)
        self.transformer = BehaviorTransformer(dim, num_heads, dropout)
        self.dnn = nn.Sequential(nn.Linear(dim * 2 + dim, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 1))

    def forward(self, user_id, history, target_item):
        seq_ids = torch.cat([history, target_item.unsqueeze(1)], dim=1)
        pos = torch.arange(seq_ids.size(1)).unsqueeze(0)
        seq = self.item_emb(seq_ids) + self.pos_emb(pos)
        padding_mask = seq_ids == 0
        h = self.transformer(seq, padding_mask)
        target_out = h[:, -1]
        valid = (~padding_mask).unsqueeze(-1).float()
        pooled = (h * valid).sum(1) / valid.sum(1)
        feats = torch.cat([target_out, pooled, self.user_emb(user_id)], dim=-1)
        return self.dnn(feats).squeeze(-1)


def make_batch(lengths, seq_len=7, num_items=50):
    hist = torch.zeros(len(lengths), seq_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        hist[i, :n] = torch.randint(1, num_items, (n,))
    return hist


def run():
    torch.manual_seed(0)
    model = BST()
    opt = torch.optim.Adagrad(model.parameters(), lr=1e-2)
    hist = make_batch([7, 2, 4, 5])
    user = torch.randint(0, 20, (4,))
    target = torch.randint(1, 50, (4,))
    click = torch.tensor([1.0, 0.0, 0.0, 1.0])
    model.train()
    loss = F.binary_cross_entropy_with_logits(model(user, hist, target), click)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        hist2 = make_batch([3, 6, 1])
        prob = torch.sigmoid(model(torch.randint(0, 20, (3,)), hist2, torch.randint(1, 50, (3,))))
    return [loss.detach(), *grads, prob]
