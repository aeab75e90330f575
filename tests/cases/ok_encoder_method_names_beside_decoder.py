"""Encoder-decoder models whose encoder side runs in a method named for it, beside a causal text
decoder: `get_image_features`, `get_audio_features`, `encoder_forward`.  The encoder's
self-attention is bidirectional by design."""
import torch.nn as nn
import torch.nn.functional as F


class Captioner(nn.Module):
    def __init__(self, d=32, heads=4, vocab=40):
        super().__init__()
        self.patch = nn.Linear(48, d)
        self.frames = nn.Linear(16, d)
        self.vis = nn.MultiheadAttention(d, heads, batch_first=True)
        self.aud = nn.MultiheadAttention(d, heads, batch_first=True)
        self.tok = nn.Embedding(vocab, d)
        self.dec = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def get_image_features(self, patches):
        x = self.patch(patches)
        return self.vis(x, x, x, need_weights=False)[0]

    def get_audio_features(self, mel):
        x = self.frames(mel)
        return self.aud(x, x, x, need_weights=False)[0]

    def encoder_forward(self, patches, mel):
        return self.get_image_features(patches) + self.get_audio_features(mel)

    def decode(self, tokens, memory):
        x = self.tok(tokens)
        T = tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        x = x + self.dec(x, x, x, attn_mask=causal, need_weights=False)[0]
        x = x + self.cross(x, memory, memory, need_weights=False)[0]
        return self.head(x)


def caption_step(model, patches, mel, tokens):
    memory = model.encoder_forward(patches, mel)
    logits = model.decode(tokens[:, :-1], memory)
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))
