# EXPECT: bug the frame padding mask is unsqueezed as [B, 1, T, 1] (query axis) instead of [B, 1, 1, T] before F.scaled_dot_product_attention, so real frames still attend to padded frames and only padded query rows are blanked.
"""Imitates Hugging Face wav2vec2 / HuBERT style audio classification: a conv
feature encoder with stride, a frame-level attention_mask derived from the
feature-extractor lengths (_get_feat_extract_output_lengths), an SDPA encoder and
masked mean pooling for keyword spotting."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.dropout = dropout

    def forward(self, x, attention_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        attn_mask = attention_mask.bool().unsqueeze(1).unsqueeze(-1)
        y = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask, self.dropout if self.training else 0.0
        )
        return self.out_proj(y.transpose(1, 2).reshape(B, T, D))


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.attention = SelfAttention(d, heads, dropout)
        self.layer_norm = nn.LayerNorm(d)
        self.feed_forward = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * d, d))
        self.final_layer_norm = nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, attention_mask):
        x = self.layer_norm(x + self.dropout(self.attention(x, attention_mask)))
        return self.final_layer_norm(x + self.feed_forward(x))


class Wav2Vec2ForKeywordSpotting(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, num_labels=4, dropout=0.1):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, d, kernel_size=10, stride=5), nn.GELU(), nn.Conv1d(d, d, kernel_size=4, stride=2), nn.GELU()
        )
        self.feature_projection = nn.Linear(d, d)
        self.pos_conv = nn.Conv1d(d, d, kernel_size=3, padding=1, groups=4)
        self.layers = nn.ModuleList([EncoderLayer(d, heads, dropout) for _ in range(layers)])
        self.classifier = nn.Linear(d, num_labels)

    @staticmethod
    def _get_feat_extract_output_lengths(input_lengths):
        for kernel, stride in ((10, 5), (4, 2)):
            input_lengths = torch.div(input_lengths - kernel, stride, rounding_mode="floor") + 1
        return input_lengths

    def forward(self, input_values, input_lengths):
        feats = self.conv(input_values.unsqueeze(1)).transpose(1, 2)  # B x T x D
        out_lengths = self._get_feat_extract_output_lengths(input_lengths)
        attention_mask = (torch.arange(feats.size(1))[None, :] < out_lengths[:, None]).long()
        x = self.feature_projection(feats)
        x = x.masked_fill(attention_mask.unsqueeze(-1) == 0, 0.0)
        x = x + self.pos_conv(x.transpose(1, 2)).transpose(1, 2)
        for layer in self.layers:
            x = layer(x, attention_mask)
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * w).sum(1) / w.sum(1)
        return self.classifier(pooled)


def pad_waveforms(waves):
    n = max(w.numel() for w in waves)
    out = torch.zeros(len(waves), n)
    for i, w in enumerate(waves):
        out[i, : w.numel()] = w
    return out, torch.tensor([w.numel() for w in waves])


def run():
    torch.manual_seed(0)
    model = Wav2Vec2ForKeywordSpotting()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(13)
    waves, lens = pad_waveforms([torch.randn(n, generator=g) for n in (150, 90, 120, 60)])
    labels = torch.tensor([0, 3, 1, 2])

    model.train()
    loss = F.cross_entropy(model(waves, lens), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        w2, l2 = pad_waveforms([torch.randn(n, generator=g) for n in (70, 150, 100)])
        probs = model(w2, l2).softmax(-1)
    return [loss.detach(), *grads, probs]
