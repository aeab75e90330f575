# EXPECT: clean
"""Imitates Perceiver / Perceiver IO (deepmind perceiver, HF PerceiverModel): a
small latent array cross-attends to a padded input array (key_padding_mask on the
inputs only), the latents then self-attend with no mask at all (they are never
padded), and a classification query decodes from the latents, again unmasked."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LatentSelfAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, z):
        B, N, D = z.shape
        q, k, v = self.qkv(self.norm(z)).view(B, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        z = z + self.proj(y.transpose(1, 2).reshape(B, N, D))
        return z + self.mlp(z)


class Perceiver(nn.Module):
    def __init__(self, in_dim=10, d=32, num_latents=6, heads=4, self_layers=2, num_classes=4, dropout=0.1):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, d) * 0.02)
        self.input_proj = nn.Linear(in_dim + 8, d)
        self.register_buffer("freqs", torch.randn(4) * 0.5)
        self.cross_norm_q = nn.LayerNorm(d)
        self.cross_norm_kv = nn.LayerNorm(d)
        self.cross_attn = nn.MultiheadAttention(d, 1, dropout=dropout, batch_first=True)
        self.cross_mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.self_attends = nn.ModuleList([LatentSelfAttention(d, heads, dropout) for _ in range(self_layers)])
        self.decoder_query = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.decoder_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.classifier = nn.Linear(d, num_classes)

    def fourier_features(self, M):
        pos = torch.linspace(-1, 1, M)[:, None] * self.freqs[None, :] * torch.pi
        return torch.cat([pos.sin(), pos.cos()], dim=-1)

    def forward(self, inputs, input_mask):
        B, M, _ = inputs.shape
        pos = self.fourier_features(16)[:M].expand(B, -1, -1)
        x = self.cross_norm_kv(self.input_proj(torch.cat([inputs, pos], dim=-1)))
        z = self.latents.expand(B, -1, -1)
        a, _ = self.cross_attn(self.cross_norm_q(z), x, x, key_padding_mask=~input_mask, need_weights=False)
        z = z + a
        z = z + self.cross_mlp(z)
        for layer in self.self_attends:
            z = layer(z)
        out, _ = self.decoder_attn(self.decoder_query.expand(B, -1, -1), z, z, need_weights=False)
        return self.classifier(out.squeeze(1))


def collate(g, lengths, in_dim=10):
    M = max(lengths)
    x = torch.zeros(len(lengths), M, in_dim)
    mask = torch.zeros(len(lengths), M, dtype=torch.bool)
    for i, n in enumerate(lengths):
        x[i, :n] = torch.randn(n, in_dim, generator=g)
        mask[i, :n] = True
    return x, mask


def run():
    torch.manual_seed(0)
    model = Perceiver()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(163)
    x, mask = collate(g, [14, 6, 9, 3, 11])
    y = torch.tensor([0, 3, 1, 2, 1])

    model.train()
    loss = F.cross_entropy(model(x, mask), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        probs = model(*collate(g, [5, 13, 8])).softmax(-1)
    return [loss.detach(), *grads, probs]
