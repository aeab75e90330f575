"""Click-through-rate model (behaviour sequence transformer). Target item attends over the
user's behaviour history; history lengths vary per user."""
import torch
import torch.nn as nn


class BehaviourAttention(nn.Module):
    def __init__(self, emb_dim=32, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(emb_dim, num_heads, batch_first=True)

    def head_mask(self, history_pad, query_len):
        B, S = history_pad.shape
        m = history_pad[:, None, :].expand(B, query_len, S)  # (B, L, S)
        m = m.unsqueeze(0).expand(self.num_heads, B, query_len, S)
        return m.reshape(self.num_heads * B, query_len, S)

    def forward(self, seq, history_pad):
        L = seq.size(1)
        mask = self.head_mask(history_pad, L)
        out, _ = self.mha(seq, seq, seq, attn_mask=mask)  # expect: ML302
        return out


class BST(nn.Module):
    def __init__(self, n_items=10000, emb_dim=32, max_hist=20):
        super().__init__()
        self.item = nn.Embedding(n_items, emb_dim, padding_idx=0)
        self.pos = nn.Embedding(max_hist + 1, emb_dim)
        self.attn = BehaviourAttention(emb_dim)
        self.mlp = nn.Sequential(nn.Linear(emb_dim * (max_hist + 1), 64), nn.LeakyReLU(), nn.Linear(64, 1))

    def forward(self, history, target):
        seq = torch.cat([history, target[:, None]], 1)
        pad = seq == 0
        x = self.item(seq) + self.pos.weight[None]
        return torch.sigmoid(self.mlp(self.attn(x, pad).flatten(1)))


if __name__ == "__main__":
    hist = torch.randint(1, 10000, (4, 20))
    hist[0, 5:] = 0
    hist[2, 12:] = 0
    print(BST()(hist, torch.randint(1, 10000, (4,))).squeeze(-1))
