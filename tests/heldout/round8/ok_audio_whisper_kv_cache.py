"""Whisper-style decoder with a KV cache, SDPA attention.

* Prefill: the prompt (<|sot|> <|lang|> <|task|> ...) is processed with
  is_causal=True while the cache is empty, so q_len == k_len.
* Decode: one token per step (q_len == 1); the single newest query may see every
  cached key, so no mask is needed.
Cross-attention K/V over the audio encoder output are computed once."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.out = nn.Linear(d, d), nn.Linear(d, d, bias=False), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, cache):
        B, T, D = x.shape
        sh = lambda t: t.view(B, -1, self.h, D // self.h).transpose(1, 2)
        q, k, v = sh(self.q(x)), sh(self.k(x)), sh(self.v(x))
        if "k" in cache:
            k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
        cache["k"], cache["v"] = k, v
        if T == k.size(2):
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            assert T == 1, "multi-token extension of a cache needs an explicit offset mask"
            y = F.scaled_dot_product_attention(q, k, v)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class CrossAttn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.kv, self.out = nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(d, d)

    def forward(self, x, audio, cache):
        B, T, D = x.shape
        if "xk" not in cache:
            k, v = self.kv(audio).view(B, -1, 2, self.h, D // self.h).permute(2, 0, 3, 1, 4)
            cache["xk"], cache["xv"] = k, v
        q = self.q(x).view(B, T, self.h, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, cache["xk"], cache["xv"])
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class WhisperDecoder(nn.Module):
    def __init__(self, vocab=300, d=64, h=4, n=2, n_ctx=64):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Parameter(torch.randn(n_ctx, d) * 0.02)
        self.sa = nn.ModuleList(SelfAttn(d, h) for _ in range(n))
        self.xa = nn.ModuleList(CrossAttn(d, h) for _ in range(n))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d)) for _ in range(n))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * n))
        self.ln_post = nn.LayerNorm(d)

    def forward(self, tokens, audio, caches, offset=0):
        x = self.tok(tokens) + self.pos[offset : offset + tokens.size(1)]
        for i in range(len(self.sa)):
            x = x + self.sa[i](self.ln[2 * i](x), caches[i])
            x = x + self.xa[i](self.ln[2 * i + 1](x), audio, caches[i])
            x = x + self.mlp[i](x)
        return self.ln_post(x) @ self.tok.weight.t()

    @torch.no_grad()
    def greedy(self, prompt, audio, steps):
        caches = [dict() for _ in self.sa]
        logits = self(prompt, audio, caches)
        seq, offset, all_logits = prompt, prompt.size(1), [logits]
        for _ in range(steps):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            seq = torch.cat([seq, nxt], 1)
            logits = self(nxt, audio, caches, offset)
            all_logits.append(logits)
            offset += 1
        return seq, torch.cat(all_logits, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = WhisperDecoder().eval()
    audio = torch.randn(2, 30, 64)
    prompt = torch.tensor([[1, 5, 7], [1, 6, 7]])
    seq, step_logits = dec.greedy(prompt, audio, steps=8)
    with torch.no_grad():
        full = dec(seq, audio, [dict() for _ in dec.sa])
        seq2 = seq.clone()
        seq2[:, 6:] = 9
        full2 = dec(seq2, audio, [dict() for _ in dec.sa])
    assert torch.allclose(full, step_logits, atol=1e-4), "cached and full decoding disagree"
    assert torch.allclose(full[:, :6], full2[:, :6], atol=1e-5), "prefill is not causal"
    print("OK: is_causal only when q_len == k_len, single-token steps unmasked")
