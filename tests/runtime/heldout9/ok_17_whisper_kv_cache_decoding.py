# EXPECT: clean
"""Imitates openai/whisper model.py: the audio encoder has no mask (audio is
padded/trimmed to a fixed length), the TextDecoder registers a "-inf triu(1)"
mask buffer, and MultiHeadAttention uses
F.scaled_dot_product_attention(q, k, v, is_causal=mask is not None and n_ctx > 1).
With the kv_cache, only the first call (empty cache, whole prompt) has n_ctx > 1;
later calls feed one token, so is_causal is False and the token sees the cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    use_sdpa = True

    def __init__(self, n_state, n_head, dropout=0.0):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)
        self.dropout = dropout

    def forward(self, x, xa=None, mask=None, kv_cache=None):
        q = self.query(x)
        if kv_cache is None or xa is None or self.key not in kv_cache:
            k = self.key(x if xa is None else xa)
            v = self.value(x if xa is None else xa)
            if kv_cache is not None:
                if xa is None and self.key in kv_cache:  # self-attention: append to the cache
                    k = torch.cat([kv_cache[self.key], k], dim=1)
                    v = torch.cat([kv_cache[self.value], v], dim=1)
                kv_cache[self.key], kv_cache[self.value] = k, v
        else:  # cross-attention: reuse the cached audio keys/values
            k, v = kv_cache[self.key], kv_cache[self.value]
        return self.out(self.qkv_attention(q, k, v, mask))

    def qkv_attention(self, q, k, v, mask=None):
        n_batch, n_ctx, n_state = q.shape
        scale = (n_state // self.n_head) ** -0.25
        q = q.view(*q.shape[:2], self.n_head, -1).permute(0, 2, 1, 3)
        k = k.view(*k.shape[:2], self.n_head, -1).permute(0, 2, 1, 3)
        v = v.view(*v.shape[:2], self.n_head, -1).permute(0, 2, 1, 3)
        if self.use_sdpa:
            a = F.scaled_dot_product_attention(
                q, k, v, is_causal=mask is not None and n_ctx > 1, dropout_p=self.dropout if self.training else 0.0
            )
        else:
            qk = (q * scale) @ (k * scale).transpose(-1, -2)
            if mask is not None:
                qk = qk + mask[:n_ctx, :n_ctx]
            a = F.softmax(qk.float(), dim=-1) @ v
        return a.permute(0, 2, 1, 3).flatten(start_dim=2)


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

    def forward(self, x, xa=None, mask=None, kv_cache=None):
        x = x + self.drop(self.attn(self.attn_ln(x), mask=mask, kv_cache=kv_cache))
        if self.cross_attn is not None:
            x = x + self.drop(self.cross_attn(self.cross_attn_ln(x), xa, kv_cache=kv_cache))
        return x + self.drop(self.mlp(self.mlp_ln(x)))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=8, n_ctx=8, n_state=32, n_head=4, n_layer=1):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", torch.randn(n_ctx, n_state) * 0.1)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer)])
        self.ln_post = nn.LayerNorm(n_state)

    def forward(self, x):
        x = F.gelu(self.conv2(F.gelu(self.conv1(x)))).permute(0, 2, 1)
        x = x + self.positional_embedding
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, n_vocab=30, n_ctx=16, n_state=32, n_head=4, n_layer=2):
        super().__init__()
        self.token_embedding = nn.Embedding(n_vocab, n_state)
        self.positional_embedding = nn.Parameter(torch.randn(n_ctx, n_state) * 0.02)
        self.blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head, cross_attention=True) for _ in range(n_layer)])
        self.ln = nn.LayerNorm(n_state)
        mask = torch.empty(n_ctx, n_ctx).fill_(-float("inf")).triu_(1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x, xa, kv_cache=None):
        offset = next(iter(kv_cache.values())).shape[1] if kv_cache else 0
        x = self.token_embedding(x) + self.positional_embedding[offset : offset + x.shape[-1]]
        for block in self.blocks:
            x = block(x, xa, mask=self.mask, kv_cache=kv_cache)
        x = self.ln(x)
        return x @ self.token_embedding.weight.t()


class Whisper(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = AudioEncoder()
        self.decoder = TextDecoder()

    def forward(self, mel, tokens):
        return self.decoder(tokens, self.encoder(mel))


@torch.no_grad()
def greedy_decode(model, mel, sot_sequence, sample_len=5):
    audio_features = model.encoder(mel)
    tokens = sot_sequence
    kv_cache = {}
    step_logits = []
    for i in range(sample_len):
        inp = tokens if i == 0 else tokens[:, -1:]
        logits = model.decoder(inp, audio_features, kv_cache=kv_cache)[:, -1]
        step_logits.append(logits)
        tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], dim=-1)
    return tokens, torch.stack(step_logits, 1)


def run():
    torch.manual_seed(0)
    model = Whisper()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(181)
    mel = torch.randn(3, 8, 16, generator=g)
    tokens = torch.randint(0, 30, (3, 10), generator=g)

    model.train()
    logits = model(mel, tokens[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 30), tokens[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    mel2 = torch.randn(2, 8, 16, generator=g)
    sot = torch.tensor([[1, 2, 3], [1, 2, 4]])
    out_tokens, step_logits = greedy_decode(model, mel2, sot)
    return [loss.detach(), *grads, out_tokens, step_logits]
