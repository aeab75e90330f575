"""Attention-based ASR: conformer-free toy encoder + SDPA transducer-style label decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpecEncoder(nn.Module):
    def __init__(self, n_mels=80, dim=96):
        super().__init__()
        self.subsample = nn.Sequential(nn.Conv1d(n_mels, dim, 3, stride=2, padding=1), nn.GELU(),
                                       nn.Conv1d(dim, dim, 3, stride=2, padding=1), nn.GELU())
        self.rnn = nn.GRU(dim, dim // 2, batch_first=True, bidirectional=True)

    def forward(self, mels):                     # (B, T, n_mels)
        x = self.subsample(mels.transpose(1, 2)).transpose(1, 2)
        return self.rnn(x)[0]


class LabelDecoderLayer(nn.Module):
    def __init__(self, dim, heads, max_labels=128):
        super().__init__()
        self.heads = heads
        self.norm_self, self.norm_cross, self.norm_ff = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.q_cross = nn.Linear(dim, dim)
        self.kv_cross = nn.Linear(dim, 2 * dim)
        self.proj_self, self.proj_cross = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.ReLU(), nn.Linear(4 * dim, dim))
        self.register_buffer("history", torch.ones(max_labels, max_labels, dtype=torch.bool).tril_(-1),
                             persistent=False)

    def _heads(self, t):
        B, L, D = t.shape
        return t.view(B, L, self.heads, D // self.heads).transpose(1, 2)

    def _merge(self, t):
        B, H, L, d = t.shape
        return t.transpose(1, 2).reshape(B, L, H * d)

    def forward(self, y, enc):
        L = y.size(1)
        q, k, v = map(self._heads, self.qkv(self.norm_self(y)).chunk(3, dim=-1))
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=self.history[:L, :L])  # expect: ML404
        y = y + self.proj_self(self._merge(a))
        q = self._heads(self.q_cross(self.norm_cross(y)))
        k, v = map(self._heads, self.kv_cross(enc).chunk(2, dim=-1))
        y = y + self.proj_cross(self._merge(F.scaled_dot_product_attention(q, k, v)))
        return y + self.ff(self.norm_ff(y))


class ListenAttendSpell(nn.Module):
    def __init__(self, n_labels=40, dim=96, heads=4, layers=2):
        super().__init__()
        self.encoder = SpecEncoder(dim=dim)
        self.label_emb = nn.Embedding(n_labels, dim)
        self.pos = nn.Embedding(128, dim)
        self.layers = nn.ModuleList(LabelDecoderLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, n_labels)

    def forward(self, mels, labels_in):
        enc = self.encoder(mels)
        y = self.label_emb(labels_in) + self.pos(torch.arange(labels_in.size(1)))
        for layer in self.layers:
            y = layer(y, enc)
        return self.out(y)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ListenAttendSpell()
    mels = torch.randn(2, 200, 80)
    labels = torch.randint(2, 40, (2, 15))
    labels_in = torch.cat([torch.ones(2, 1, dtype=torch.long), labels[:, :-1]], dim=1)
    logits = model(mels, labels_in)
    loss = F.cross_entropy(logits.transpose(1, 2), labels)
    loss.backward()
    print("loss", round(loss.item(), 3))
