import torch
from torch import nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab_size=50, d_model=32, nhead=4):
        super().__init__()
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0)
        self.region_encoder = nn.TransformerEncoder(enc_layer, num_layers=1, enable_nested_tensor=False)
        self.embed = nn.Embedding(vocab_size, d_model)
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, regions, captions):
        memory = self.region_encoder(regions.transpose(0, 1))  # BUG
        x = self.embed(captions)
        causal = nn.Transformer.generate_square_subsequent_mask(captions.size(1))
        x = self.norm1(x + self.self_attn(x, x, x, attn_mask=causal, need_weights=False)[0])
        x = self.norm2(x + self.cross_attn(x, memory, memory, need_weights=False)[0])
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CaptionDecoder().eval()
    regions = torch.randn(4, 4, 32)
    captions = torch.randint(0, 50, (4, 7))
    other = regions.clone()
    other[1:] = torch.randn(3, 4, 32)
    with torch.no_grad():
        d = (model(regions, captions)[0] - model(other, captions)[0]).abs().max().item()
    print(f"image 0 caption logits change when other images' regions change = {d:.4f}")
