"""Dialogue TTS: text encoder, audio-token decoder with KV cache and step-wise generation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, x, ctx, attn_mask=None, is_causal=False, cache=None):
        b, t, d = x.shape
        split = lambda y: y.view(b, -1, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(ctx)), split(self.v(ctx))
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)  # BUG
        return self.o(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class DiaLike(nn.Module):
    def __init__(self, text_vocab=64, audio_vocab=128, dim=32, heads=4):
        super().__init__()
        self.text_emb = nn.Embedding(text_vocab, dim)
        self.audio_emb = nn.Embedding(audio_vocab, dim)
        self.enc_attn = Attention(dim, heads)
        self.self_attn = Attention(dim, heads)
        self.cross_attn = Attention(dim, heads)
        self.head = nn.Linear(dim, audio_vocab)

    def encode(self, text, text_mask):
        x = self.text_emb(text)
        pad = text_mask[:, None, None, :]
        return x + self.enc_attn(x, x, attn_mask=pad)[0]

    def decode(self, audio, memory, text_mask, audio_mask, cache=None):
        y = self.audio_emb(audio)
        T = audio_mask.shape[1]
        self_mask = audio_mask[:, None, None, :]  # BUG
        a, kv = self.self_attn(y, y, attn_mask=self_mask, is_causal=cache is None, cache=cache)  # BUG
        y = y + a
        y = y + self.cross_attn(y, memory, attn_mask=text_mask[:, None, None, :])[0]
        return self.head(y), kv

    @torch.no_grad()
    def generate(self, text, text_mask, bos=1, max_tokens=6):
        memory = self.encode(text, text_mask)
        audio = torch.full((text.shape[0], 1), bos, dtype=torch.long)
        audio_mask = torch.ones_like(audio, dtype=torch.bool)
        logits, cache = self.decode(audio, memory, text_mask, audio_mask)
        out = [audio]
        for step in range(max_tokens):
            nxt = logits[:, -1:].argmax(-1)
            out.append(nxt)
            audio_mask = torch.cat([audio_mask, audio_mask.new_ones(nxt.shape)], dim=1)
            logits, cache = self.decode(nxt, memory, text_mask, audio_mask, cache)
        return torch.cat(out, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DiaLike().eval()
    text = torch.randint(0, 64, (2, 7))
    text_mask = torch.ones(2, 7, dtype=torch.bool)
    text_mask[1, 5:] = False
    print(model.generate(text, text_mask).shape)
