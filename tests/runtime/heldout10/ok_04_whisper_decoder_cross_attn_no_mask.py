# EXPECT: ok cross-attention to the audio encoder runs with no mask at all because every utterance is padded/trimmed to the same 30-second window of log-mel frames, and cached single-token decode calls SDPA without is_causal.
"""Encoder-decoder speech recognizer in the style of openai/whisper (model.py: fixed-length mel window, MultiHeadAttention with SDPA, kv_cache decoding)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, n_state, n_head, dropout=0.0):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)
        self.dropout = dropout

    def forward(self, x, xa=None, causal=False, kv_cache=None):
        q = self.query(x)
        src = x if xa is None else xa
        k, v = self.key(src), self.value(src)
        if kv_cache is not None:
            if xa is None and "k" in kv_cache:
                k = torch.cat([kv_cache["k"], k], 1)
                v = torch.cat([kv_cache["v"], v], 1)
            kv_cache["k"], kv_cache["v"] = k, v
        B, T, D = q.shape
        S = k.size(1)
        q = q.view(B, T, self.n_head, -1).transpose(1, 2)
        k = k.view(B, S, self.n_head, -1).transpose(1, 2)
        v = v.view(B, S, self.n_head, -1).transpose(1, 2)
        is_causal = causal and T > 1
        y = F.scaled_dot_product_attention(q, k, v, is_causal=is_causal, dropout_p=self.dropout if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, n_state, n_head, cross_attention=False, dropout=0.1):
        super().__init__()
        self.attn = MultiHeadAttention(n_state, n_head, dropout)
        self.attn_ln = nn.LayerNorm(n_state)
        self.cross_attn = MultiHeadAttention(n_state, n_head, dropout) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        self.mlp = nn.Sequential(nn.Linear(n_state, 2 * n_state), nn.GELU(), nn.Linear(2 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, xa=None, causal=False, cache=None):
        x = x + self.drop(self.attn(self.attn_ln(x), causal=causal, kv_cache=None if cache is None else cache.setdefault("self", {})))
        if self.cross_attn is not None:
            x = x + self.drop(self.cross_attn(self.cross_attn_ln(x), xa))
        return x + self.drop(self.mlp(self.mlp_ln(x)))


class Whisper(nn.Module):
    def __init__(self, n_mels=16, n_audio_ctx=12, n_state=32, n_head=4, n_layer=2, n_vocab=40, n_text_ctx=16):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, 3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, 3, stride=2, padding=1)
        self.audio_pos = nn.Parameter(torch.randn(n_audio_ctx, n_state) * 0.02)
        self.enc_blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer)])
        self.ln_post = nn.LayerNorm(n_state)
        self.token_embedding = nn.Embedding(n_vocab, n_state)
        self.text_pos = nn.Parameter(torch.randn(n_text_ctx, n_state) * 0.02)
        self.dec_blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head, cross_attention=True) for _ in range(n_layer)])
        self.ln = nn.LayerNorm(n_state)

    def embed_audio(self, mel):
        x = F.gelu(self.conv2(F.gelu(self.conv1(mel)))).permute(0, 2, 1)
        x = x + self.audio_pos
        for b in self.enc_blocks:
            x = b(x)
        return self.ln_post(x)

    def logits(self, tokens, xa, caches=None, offset=0):
        x = self.token_embedding(tokens) + self.text_pos[offset:offset + tokens.size(1)]
        for i, b in enumerate(self.dec_blocks):
            x = b(x, xa, causal=True, cache=None if caches is None else caches[i])
        return self.ln(x) @ self.token_embedding.weight.t()


def pad_or_trim(mel, length=24):
    if mel.size(-1) > length:
        return mel[..., :length]
    return F.pad(mel, (0, length - mel.size(-1)))


def run():
    torch.manual_seed(0)
    model = Whisper()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    mels = torch.stack([pad_or_trim(torch.randn(16, n)) for n in (24, 30, 17)])
    tokens = torch.randint(0, 40, (3, 8))
    model.train()
    logits = model.logits(tokens[:, :-1], model.embed_audio(mels))
    loss = F.cross_entropy(logits.reshape(-1, 40), tokens[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        mel = torch.stack([pad_or_trim(torch.randn(16, 20)), pad_or_trim(torch.randn(16, 28))])
        xa = model.embed_audio(mel)
        caches = [dict() for _ in model.dec_blocks]
        seq = torch.tensor([[1, 2], [1, 2]])
        logits = model.logits(seq, xa, caches, 0)
        for _ in range(4):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            logits = model.logits(nxt, xa, caches, seq.size(1))
            seq = torch.cat([seq, nxt], 1)
    return [loss.detach(), *grads, seq, logits[:, -1]]
