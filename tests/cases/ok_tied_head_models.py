"""Models with a tied head that are not language models of the next token, or are and stay causal:
a masked LM (BERT's decoder tied to the word embeddings, bidirectional by design), a speech model
whose audio encoder (`embed_audio`) is bidirectional beside a causal text decoder, and a GPT with
its causal mask joined to the padding by `&`."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q, self.kv = nn.Linear(d, d), nn.Linear(d, 2 * d)

    def forward(self, x, ctx=None, mask=None, causal=False):
        src = x if ctx is None else ctx
        B, T, C = x.shape
        q = self.q(x).view(B, T, self.heads, -1).transpose(1, 2)
        k, v = self.kv(src).view(B, src.size(1), 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal and mask is None)
        return x + y.transpose(1, 2).reshape(B, T, C)


class MaskedLM(nn.Module):
    def __init__(self, vocab=60, d=32):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d)
        self.attn = Attention(d)

    def forward(self, input_ids, attention_mask):
        h = self.attn(self.word_embeddings(input_ids), mask=attention_mask.bool()[:, None, None, :])
        return h @ self.word_embeddings.weight.T


def mlm_step(model, input_ids, attention_mask, labels):
    logits = model(input_ids, attention_mask)
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=-100)


class SpeechToText(nn.Module):
    def __init__(self, n_mels=16, vocab=40, d=32):
        super().__init__()
        self.conv = nn.Conv1d(n_mels, d, 3, padding=1)
        self.enc = nn.ModuleList([Attention(d) for _ in range(2)])
        self.token_embedding = nn.Embedding(vocab, d)
        self.self_attn = Attention(d)
        self.cross_attn = Attention(d)

    def embed_audio(self, mel):
        x = self.conv(mel).permute(0, 2, 1)
        for block in self.enc:
            x = block(x)
        return x

    def logits(self, tokens, audio):
        x = self.token_embedding(tokens)
        x = self.self_attn(x, causal=True)
        x = self.cross_attn(x, ctx=audio)
        return x @ self.token_embedding.weight.t()


def asr_step(model, mel, tokens):
    audio = model.embed_audio(mel)
    logits = model.logits(tokens[:, :-1], audio)
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))


class TiedGPT(nn.Module):
    def __init__(self, vocab=60, d=32):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.attn = Attention(d)

    def forward(self, input_ids, attention_mask):
        T = input_ids.size(1)
        keep = torch.tril(torch.ones(T, T, dtype=torch.bool))[None, None] & attention_mask.bool()[:, None, None, :]
        return self.attn(self.wte(input_ids), mask=keep) @ self.wte.weight.t()


def lm_step(model, input_ids, attention_mask):
    logits = model(input_ids[:, :-1], attention_mask[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), input_ids[:, 1:].reshape(-1))
