"""A padding mask compared with another id than the one the embedding pads with (`<unk>` is 0,
`<pad>` is 1): the mask hides real unknown words and leaves the padding visible."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 3


class ScansionTagger(nn.Module):
    def __init__(self, vocab=120, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=1)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, syllables):
        h = self.emb(syllables)
        pad = syllables.eq(0)  # expect: ML505
        return self.encoder(h, src_key_padding_mask=pad)


class HintEncoder(nn.Module):
    def __init__(self, vocab=90, d=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d, padding_idx=PAD_ID)
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, tokens):
        return self.layer(self.tok(tokens), src_key_padding_mask=tokens == 0)  # expect: ML505


class KeepMaskReader(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab, d, padding_idx=1)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, src):
        x = self.embed(src)
        b, t, d = x.shape
        keep = (src != 0)[:, None, None, :]  # expect: ML505
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
