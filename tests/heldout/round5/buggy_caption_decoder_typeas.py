"""Image captioning: ViT patch features as memory, a single nn.TransformerDecoderLayer stack."""
import torch
import torch.nn as nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=5000, d=256, heads=8, layers=3, max_len=40):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(
            nn.TransformerDecoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True) for _ in range(layers)
        )
        self.lm = nn.Linear(d, vocab)

    def forward(self, tokens, memory, memory_pad):
        T = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(T, device=tokens.device))
        causal = torch.ones(T, T, dtype=torch.bool, device=tokens.device).triu_(1)
        for layer in self.layers:
            x = layer(
                x, memory,
                tgt_mask=causal,
                memory_key_padding_mask=memory_pad,
                tgt_is_causal=True,
            )
        return self.lm(x)


class Captioner(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.patch_proj = nn.Linear(768, d)
        self.decoder = CaptionDecoder(d=d)

    def forward(self, patch_feats, patch_valid, tokens):
        memory = self.patch_proj(patch_feats)
        # images of different aspect ratios have a different number of valid patches
        memory_pad = (~patch_valid).type_as(memory)
        return self.decoder(
            tokens,
            memory,
            memory_pad,  # expect: ML201
        )


if __name__ == "__main__":
    m = Captioner()
    feats = torch.randn(2, 49, 768)
    valid = torch.ones(2, 49, dtype=torch.bool)
    valid[1, 35:] = False
    print(m(feats, valid, torch.randint(0, 5000, (2, 12))).shape)
