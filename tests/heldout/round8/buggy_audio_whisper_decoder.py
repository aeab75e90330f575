"""Whisper-style speech recogniser: conv front-end + audio encoder over a
fixed 30 s log-mel window (no padding mask needed) and a text decoder with
causal self-attention and cross-attention to the audio."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, layers=2, n_ctx=50):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, dim, 3, padding=1)
        self.conv2 = nn.Conv1d(dim, dim, 3, stride=2, padding=1)
        self.pos = nn.Parameter(torch.randn(n_ctx, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True,
                                           norm_first=True, activation="gelu")
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, mel):
        x = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).transpose(1, 2)
        return self.blocks(x + self.pos[: x.size(1)])


class ResidualAttentionBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn_ln, self.cross_ln, self.mlp_ln = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    @staticmethod
    def _causal(x):
        n = x.shape[0]
        return torch.empty(n, n, device=x.device).fill_(float("-inf")).triu_(1)

    def forward(self, x, xa):
        h = self.attn_ln(x)
        x = x + self.attn(
            h, h, h,
            attn_mask=self._causal(x),  # expect: ML303
            need_weights=False,
        )[0]
        h = self.cross_ln(x)
        x = x + self.cross(h, xa, xa, need_weights=False)[0]
        return x + self.mlp(self.mlp_ln(x))


class TextDecoder(nn.Module):
    def __init__(self, vocab=200, dim=64, heads=4, layers=2, n_ctx=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(n_ctx, dim) * 0.02)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(dim, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(dim)

    def forward(self, tokens, xa):
        x = self.tok(tokens) + self.pos[: tokens.size(1)]
        for blk in self.blocks:
            x = blk(x, xa)
        return self.ln(x) @ self.tok.weight.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    enc, dec = AudioEncoder(), TextDecoder()
    mel = torch.randn(3, 40, 100)
    tokens = torch.randint(0, 200, (3, 7))  # <|sot|> <|en|> <|transcribe|> ...
    try:
        logits = dec(tokens[:, :-1], enc(mel))
        loss = F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())
        print("loss", loss.item())
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
