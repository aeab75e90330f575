"""Correct: the twin of b67 and b68: the mask the caller builds reaches the attention under another
name (inverted for the key-padding slot), and a collate dict's mask is passed to the encoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"
PAD = 0


class ResidueBlock(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, h, keep):
        out, _ = self.attn(h, h, h, key_padding_mask=~keep, need_weights=False)
        return self.norm(h + out)


class SpeechEncoder(nn.Module):
    def __init__(self, feats=8, dim=16):
        super().__init__()
        self.proj = nn.Linear(feats, dim)
        layer = nn.TransformerEncoderLayer(dim, 2, 32, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    def forward(self, frames, pad):
        return self.encoder(self.proj(frames), src_key_padding_mask=pad)


def run():
    torch.manual_seed(0)
    residues = torch.randint(1, 25, (3, 7))
    residues[1, 5:] = PAD
    keep = residues != PAD
    emb = nn.Embedding(25, 16, padding_idx=PAD)
    block = ResidueBlock()
    lengths = torch.tensor([6, 4, 6])
    frames = torch.randn(3, 6, 8)
    pad = torch.arange(6)[None, :] >= lengths[:, None]
    enc = SpeechEncoder()
    params = list(emb.parameters()) + list(block.parameters()) + list(enc.parameters())
    opt = torch.optim.SGD(params, lr=0.1)
    h = block(emb(residues), keep)
    z = enc(frames, pad)
    loss = F.mse_loss((h * keep[..., None]).sum(1), torch.zeros(3, 16)) + z.masked_fill(pad[..., None], 0).pow(2).mean()
    loss.backward()
    opt.step()
    block.eval()
    enc.eval()
    with torch.no_grad():
        return [loss.detach(), block(emb(residues), keep), enc(frames, pad)]
