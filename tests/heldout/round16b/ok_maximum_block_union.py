import torch
import torch.nn as nn
import torch.nn.functional as F


class LyricsDecoder(nn.Module):
    """Decoder-only lyrics model; melody features enter through cross-attention."""

    def __init__(self, vocab=600, d_model=64, nhead=4, layers=2, pad=0):
        super().__init__()
        self.nhead, self.pad = nhead, pad
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad)
        self.melody = nn.Linear(16, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def masks(self, tokens):
        n = tokens.size(1)
        causal = torch.triu(torch.ones(n, n, device=tokens.device), diagonal=1)
        pad = (tokens == self.pad).float()[:, None, :]
        blocked = torch.maximum(causal[None], pad)
        blocked = torch.minimum(blocked, 1 - torch.eye(n, device=tokens.device)[None])
        return blocked.bool().repeat_interleave(self.nhead, 0)

    def forward(self, tokens, melody, melody_pad):
        x = self.embed(tokens)
        h = self.decoder(x, self.melody(melody), tgt_mask=self.masks(tokens), memory_key_padding_mask=melody_pad)
        return self.out(h)

    def loss(self, tokens, melody, melody_pad):
        logits = self(tokens[:, :-1], melody, melody_pad)
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=self.pad)


if __name__ == "__main__":
    toks = torch.randint(1, 600, (3, 15))
    toks[2, 10:] = 0
    mel = torch.randn(3, 20, 16)
    mpad = torch.zeros(3, 20, dtype=torch.bool)
    mpad[1, 12:] = True
    print(LyricsDecoder().loss(toks, mel, mpad).item())
