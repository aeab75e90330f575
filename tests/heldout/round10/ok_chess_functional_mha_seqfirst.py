"""Chess move-sequence model using F.multi_head_attention_forward directly (sequence-first, fairseq-like)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_MOVES = 1968  # UCI move vocabulary size
PAD = 0


class FunctionalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.d, self.heads = d, heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))
        self.out_proj = nn.Linear(d, d)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, attn_mask, key_padding_mask):
        # x: (T, B, d)
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.d, self.heads, self.in_proj_weight, self.in_proj_bias, None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=False, attn_mask=attn_mask)
        return out


class MoveModel(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_plies=200):
        super().__init__()
        self.move = nn.Embedding(N_MOVES, d, padding_idx=PAD)
        self.ply = nn.Embedding(max_plies, d)
        self.attn = nn.ModuleList(FunctionalSelfAttention(d, heads) for _ in range(layers))
        self.ff = nn.ModuleList(nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d)) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * layers))
        self.policy = nn.Linear(d, N_MOVES)
        self.value = nn.Linear(d, 3)  # win / draw / loss

    def forward(self, games):
        # games: (B, T) move ids, right padded
        T = games.size(1)
        x = (self.move(games) + self.ply(torch.arange(T))).transpose(0, 1)   # (T, B, d)
        causal = nn.Transformer.generate_square_subsequent_mask(T)          # float, -inf above diagonal
        pad = torch.zeros(games.shape).masked_fill(games == PAD, float("-inf"))  # (B, T) additive
        for i, (attn, ff) in enumerate(zip(self.attn, self.ff)):
            x = x + attn(self.ln[2 * i](x), causal, pad)
            x = x + ff(self.ln[2 * i + 1](x))
        x = x.transpose(0, 1)
        return self.policy(x), self.value(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    lengths = torch.tensor([40, 23, 31, 12])
    games = torch.randint(1, N_MOVES, (4, 40)) * (torch.arange(40)[None] < lengths[:, None])
    outcome = torch.tensor([0, 2, 1, 0])
    model = MoveModel()
    policy, value = model(games)
    valid = games[:, 1:] != PAD
    loss = F.cross_entropy(policy[:, :-1][valid], games[:, 1:][valid])
    last = value[torch.arange(4), lengths - 1]
    loss = loss + F.cross_entropy(last, outcome)
    loss.backward()
    print(policy.shape, value.shape, loss.item())
