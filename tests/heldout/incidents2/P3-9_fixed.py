import torch
import torch.nn as nn


class ImageFeatureEncoder(nn.Module):
    def __init__(self, d_model: int = 256, nhead: int = 8):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=1024)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)

    def forward(self, regions: torch.Tensor, region_pad: torch.Tensor) -> torch.Tensor:
        # regions: (S, N, E) seq-first, region_pad: (N, S)
        return self.encoder(regions, src_key_padding_mask=region_pad)


class CaptionDecoderLayer(nn.Module):
    def __init__(self, d_model: int = 256, nhead: int = 8):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, words, memory, causal_mask, memory_pad):
        # words: (N, T, E); memory expected (N, S, E)
        x = self.norm1(words + self.self_attn(words, words, words, attn_mask=causal_mask)[0])
        x = self.norm2(x + self.cross_attn(x, memory, memory, key_padding_mask=memory_pad)[0])
        return x


class Captioner(nn.Module):
    def __init__(self, vocab_size: int = 10000, d_model: int = 256):
        super().__init__()
        self.region_encoder = ImageFeatureEncoder(d_model)
        self.word_emb = nn.Embedding(vocab_size, d_model)
        self.decoder = CaptionDecoderLayer(d_model)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, regions, region_pad, captions):
        memory = self.region_encoder(regions, region_pad).transpose(0, 1)
        T = captions.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=captions.device), 1)
        h = self.decoder(self.word_emb(captions), memory, causal, region_pad)
        return self.out(h)


if __name__ == "__main__":
    model = Captioner()
    regions = torch.randn(36, 36, 256)  # 36 regions, batch of 36 images
    region_pad = torch.zeros(36, 36, dtype=torch.bool)
    captions = torch.randint(0, 10000, (36, 20))
    print(model(regions, region_pad, captions).shape)
