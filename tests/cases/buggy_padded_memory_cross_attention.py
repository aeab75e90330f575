"""An encoder hides its padding from itself (src_key_padding_mask), and its output goes on as the
memory of a cross-attention given no mask for it: returned, in a dict, or as a call's argument."""
import torch
import torch.nn as nn


class TextEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, ids):
        return self.enc(self.tok(ids), src_key_padding_mask=ids.eq(self.pad_id))


class CrossBlock(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, context):
        return x + self.attn(x, context, context, need_weights=False)[0]


class ResidualEncoder(nn.Module):
    """Its output is the residual sum, normed: still the padded sequence."""

    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, pad):
        return self.norm(x + self.attn(x, x, x, key_padding_mask=pad)[0])


class SpeechEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, feats, lens):
        pad = torch.arange(feats.size(1))[None, :] >= lens[:, None]
        return {"memory": self.layer(feats, src_key_padding_mask=pad), "memory_pad": pad}


class TokenDecoder(nn.Module):
    def __init__(self, vocab=50, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, batch_first=True), 2)

    def forward(self, tokens, enc):
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1))
        return self.dec(self.emb(tokens), enc["memory"], tgt_mask=causal)


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0], [8, 0, 0, 0]])
    # reported where the padded memory meets the model that drops its mask (evidence: the attention call)
    out = CrossBlock()(torch.randn(2, 9, 32), TextEncoder()(ids))  # expect: ML502
    enc = SpeechEncoder()(torch.randn(2, 12, 32), torch.tensor([12, 7]))
    logits = TokenDecoder()(torch.tensor([[1, 2, 3], [1, 4, 0]]), enc)  # expect: ML502
    pad = torch.arange(3)[None, :] >= torch.tensor([3, 1])[:, None]
    queries = nn.MultiheadAttention(32, 4, batch_first=True)
    memory = ResidualEncoder()(torch.randn(2, 3, 32), pad)
    out = queries(torch.randn(2, 4, 32), memory, memory)[0]  # expect: ML502
