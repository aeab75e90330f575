"""Decision Transformer for offline RL (returns-to-go, state, action interleaved)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, max_T, attn_pdrop=0.1):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_pdrop = attn_pdrop
        self.register_buffer("bias", torch.tril(torch.ones(max_T, max_T)).view(1, 1, max_T, max_T))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        # flash path (replaces the old att.masked_fill(self.bias[..] == 0, -inf) code)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias[:, :, :T, :T],  # expect: ML202
                                           dropout_p=self.attn_pdrop if self.training else 0.0)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class DTBlock(nn.Module):
    def __init__(self, n_embd, n_head, max_T):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, max_T)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class DecisionTransformer(nn.Module):
    def __init__(self, state_dim=17, act_dim=6, n_embd=128, n_head=4, n_layer=3, context=20, max_ep_len=1000):
        super().__init__()
        self.embed_t = nn.Embedding(max_ep_len, n_embd)
        self.embed_rtg = nn.Linear(1, n_embd)
        self.embed_s = nn.Linear(state_dim, n_embd)
        self.embed_a = nn.Linear(act_dim, n_embd)
        self.ln = nn.LayerNorm(n_embd)
        self.blocks = nn.Sequential(*[DTBlock(n_embd, n_head, 3 * context) for _ in range(n_layer)])
        self.predict_a = nn.Sequential(nn.Linear(n_embd, act_dim), nn.Tanh())

    def forward(self, timesteps, states, actions, rtg):
        B, K, _ = states.shape
        te = self.embed_t(timesteps)
        tokens = torch.stack([self.embed_rtg(rtg) + te, self.embed_s(states) + te, self.embed_a(actions) + te], dim=2)
        h = self.blocks(self.ln(tokens.reshape(B, 3 * K, -1)))
        h = h.reshape(B, K, 3, -1)
        return self.predict_a(h[:, :, 1])  # predict a_t from the state token s_t


if __name__ == "__main__":
    torch.manual_seed(0)
    B, K = 8, 20
    model = DecisionTransformer()
    states, actions = torch.randn(B, K, 17), torch.rand(B, K, 6) * 2 - 1
    rtg, ts = torch.randn(B, K, 1), torch.arange(K).expand(B, K)
    pred = model(ts, states, actions, rtg)
    loss = F.mse_loss(pred, actions)
    loss.backward()
    print("action mse", round(loss.item(), 4))
