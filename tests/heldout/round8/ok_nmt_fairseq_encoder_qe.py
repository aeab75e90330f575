"""fairseq-flavoured TransformerEncoder (T x B x C layout) used as the
predictor of a translation quality-estimation model: the concatenated
"source </s> hypothesis" pair is encoded and a regressor predicts the
sentence-level score.  Note nn.MultiheadAttention's positional order is
(query, key, value, key_padding_mask, need_weights, attn_mask)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=64, heads=4, ffn=128):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn), nn.Linear(ffn, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(x, x, x, encoder_padding_mask, False)
        x = residual + x
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))
        return residual + x


class QEModel(nn.Module):
    def __init__(self, vocab=700, embed_dim=64, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_segment = nn.Embedding(2, embed_dim)
        self.embed_positions = nn.Embedding(256, embed_dim)
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim) for _ in range(layers))
        self.layer_norm = nn.LayerNorm(embed_dim)
        self.regressor = nn.Sequential(nn.Linear(embed_dim, embed_dim), nn.Tanh(), nn.Linear(embed_dim, 1))

    def forward(self, src_tokens, segments):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)  # B x T
        x = self.embed_tokens(src_tokens) * math.sqrt(self.embed_tokens.embedding_dim)
        x = x + self.embed_segment(segments) + self.embed_positions(torch.arange(src_tokens.size(1)))
        x = x.transpose(0, 1)  # T x B x C
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        x = self.layer_norm(x)
        keep = (~encoder_padding_mask).t().unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(0) / keep.sum(0)
        return self.regressor(pooled).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    qe = QEModel().eval()
    toks = torch.randint(3, 700, (3, 18))
    seg = torch.zeros(3, 18, dtype=torch.long)
    seg[:, 9:] = 1
    toks[2, 13:] = 1
    with torch.no_grad():
        s = qe(toks, seg)
        s_solo = qe(toks[2:, :13], seg[2:, :13])
    assert torch.allclose(s[2], s_solo[0], atol=1e-5)
    assert not torch.isnan(s).any()
    print("OK: positional 4th argument is the (B, T) key padding mask, as intended")
