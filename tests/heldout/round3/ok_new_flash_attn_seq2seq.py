"""Whisper-like encoder-decoder on FlashAttention-2: bidirectional audio
encoder, causal text decoder, and non-causal cross-attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from flash_attn import flash_attn_func


class FlashMHA(nn.Module):
    def __init__(self, dim, n_heads, causal: bool):
        super().__init__()
        self.n_heads = n_heads
        self.causal = causal
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, context=None):
        B, L, D = x.shape
        src = x if context is None else context
        q = self.q(x).view(B, L, self.n_heads, -1)
        k, v = self.kv(src).view(B, src.size(1), 2, self.n_heads, -1).unbind(2)
        y = flash_attn_func(q, k, v, causal=self.causal)
        return self.o(y.reshape(B, L, D))


class EncoderBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = FlashMHA(dim, n_heads, causal=False)  # audio frames: bidirectional
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class DecoderBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.self_attn = FlashMHA(dim, n_heads, causal=True)
        self.cross_attn = FlashMHA(dim, n_heads, causal=False)  # every token sees all audio
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, audio):
        x = x + self.self_attn(self.ln1(x))
        x = x + self.cross_attn(self.ln2(x), context=audio)
        return x + self.mlp(self.ln3(x))


class SpeechToText(nn.Module):
    def __init__(self, n_mels=80, vocab=51865, dim=768, n_heads=12, enc_layers=12, dec_layers=12, n_ctx=448):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, dim, 3, padding=1)
        self.conv2 = nn.Conv1d(dim, dim, 3, stride=2, padding=1)
        self.audio_pos = nn.Parameter(torch.zeros(1500, dim))
        self.encoder = nn.ModuleList(EncoderBlock(dim, n_heads) for _ in range(enc_layers))
        self.ln_audio = nn.LayerNorm(dim)
        self.tok = nn.Embedding(vocab, dim)
        self.text_pos = nn.Parameter(torch.zeros(n_ctx, dim))
        self.decoder = nn.ModuleList(DecoderBlock(dim, n_heads) for _ in range(dec_layers))
        self.ln_text = nn.LayerNorm(dim)

    def forward(self, mel, tokens):
        # run under torch.autocast("cuda", dtype=torch.bfloat16): flash-attn needs bf16/fp16
        # mel: (B, n_mels, 3000), fixed 30 s windows, so the audio side has no padding
        a = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).transpose(1, 2)
        a = a + self.audio_pos[: a.size(1)]
        for blk in self.encoder:
            a = blk(a)
        a = self.ln_audio(a)
        x = self.tok(tokens) + self.text_pos[: tokens.size(1)]
        for blk in self.decoder:
            x = blk(x, a)
        return self.ln_text(x) @ self.tok.weight.t()
