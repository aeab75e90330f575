"""Audio captioning: a caption decoder cross-attending to pooled audio-clip features."""
import torch
import torch.nn.functional as F
from torch import nn


class CaptionDecoderLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.self_qkv = nn.Linear(dim, 3 * dim)
        self.self_out = nn.Linear(dim, dim)
        self.cross_q = nn.Linear(dim, dim)
        self.cross_kv = nn.Linear(dim, 2 * dim)
        self.cross_out = nn.Linear(dim, dim)
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(3))
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def heads_first(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, words, audio, word_keep):
        p = self.dropout if self.training else 0.0
        q, k, v = map(self.heads_first, self.self_qkv(self.norms[0](words)).chunk(3, -1))
        keep = word_keep[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p, is_causal=True)  # expect: ML403
        words = words + self.self_out(y.transpose(1, 2).flatten(2))
        q = self.heads_first(self.cross_q(self.norms[1](words)))
        k, v = map(self.heads_first, self.cross_kv(audio).chunk(2, -1))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p)
        words = words + self.cross_out(y.transpose(1, 2).flatten(2))
        return words + self.ff(self.norms[2](words))


class AudioCaptioner(nn.Module):
    def __init__(self, vocab=5000, audio_dim=128, dim=64, heads=4, layers=2):
        super().__init__()
        self.audio_proj = nn.Linear(audio_dim, dim)
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        self.layers = nn.ModuleList(CaptionDecoderLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, audio_feats, words):
        audio = self.audio_proj(audio_feats)
        x = self.emb(words) + self.pos(torch.arange(words.size(1), device=words.device))
        keep = words != 0
        for layer in self.layers:
            x = layer(x, audio, keep)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AudioCaptioner()
    audio = torch.randn(2, 10, 128)
    caps = torch.tensor([[1, 55, 23, 871, 2, 0, 0], [1, 9, 310, 42, 18, 77, 2]])
    logits = model(audio, caps[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), caps[:, 1:], ignore_index=0)
    loss.backward()
    print(loss.item())
