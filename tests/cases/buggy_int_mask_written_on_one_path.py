"""Integer masks built from token ids (zeros_like / ones_like inherit int64) and written on one path
only: which cells hold what is not known after the branch, the int dtype is, and torch's
attention rejects it."""
import torch
import torch.nn as nn

PAD = 0


class TimelineEncoder(nn.Module):
    def __init__(self, n_codes=100, dim=32, drop=0.15):
        super().__init__()
        self.embed = nn.Embedding(n_codes, dim, padding_idx=PAD)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, batch_first=True), 2)
        self.drop = drop

    def hidden_events(self, codes):
        B, L = codes.shape
        n_drop = int(self.drop * L) if self.training else 0
        hidden = torch.zeros_like(codes)
        if n_drop:
            hidden.scatter_(1, torch.randint(1, L, (B, n_drop)), 1)
        hidden[codes == PAD] = 1
        return hidden

    def forward(self, codes):
        return self.encoder(self.embed(codes), src_key_padding_mask=self.hidden_events(codes))  # expect: ML203


class SpanMasker(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)

    def forward(self, x, tokens, span=None):
        blocked = torch.zeros_like(tokens)
        if span is not None:
            blocked[:, span[0]:span[1]] = 1
        return self.attn(x, x, x, key_padding_mask=blocked)[0]  # expect: ML203
