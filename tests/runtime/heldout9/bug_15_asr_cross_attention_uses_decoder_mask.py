# EXPECT: bug the decoder's cross-attention over encoder frames is given the decoder-side token padding mask as key_padding_mask (both padded to 10, so no shape error) instead of the encoder frame padding mask.
"""Imitates an attention-based ASR decoder in the style of ESPnet / SpeechBrain
TransformerDecoderLayer (self-attn, src-attn, feed-forward), with audio features
and transcripts both padded to fixed lengths by the data pipeline."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_FRAMES = 10
MAX_TOKENS = 10
PAD, SOS = 0, 1


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.src_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)
        self.feed_forward = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * d, d))
        self.dropout = nn.Dropout(dropout)

    def forward(self, tgt, tgt_mask, tgt_key_padding_mask, memory, memory_key_padding_mask):
        x = self.norm1(tgt)
        x = tgt + self.dropout(self.self_attn(x, x, x, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)[0])
        y = self.norm2(x)
        src, _ = self.src_attn(y, memory, memory, key_padding_mask=tgt_key_padding_mask)  # BUG-SITE
        x = x + self.dropout(src)
        return x + self.dropout(self.feed_forward(self.norm3(x)))


class Encoder(nn.Module):
    def __init__(self, feat_dim, d, heads, dropout):
        super().__init__()
        self.input_layer = nn.Linear(feat_dim, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout, batch_first=True, norm_first=True)
        self.encoders = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)

    def forward(self, feats, feat_pad):
        return self.encoders(self.input_layer(feats), src_key_padding_mask=feat_pad)


class Seq2SeqASR(nn.Module):
    def __init__(self, feat_dim=12, vocab=20, d=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.encoder = Encoder(feat_dim, d, heads, dropout)
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(MAX_TOKENS, d) * 0.02)
        self.decoders = nn.ModuleList([DecoderLayer(d, heads, dropout) for _ in range(layers)])
        self.after_norm = nn.LayerNorm(d)
        self.output_layer = nn.Linear(d, vocab)

    def forward(self, feats, feat_lens, ys_in):
        feat_pad = torch.arange(feats.size(1))[None] >= feat_lens[:, None]
        memory = self.encoder(feats, feat_pad)
        T = ys_in.size(1)
        tgt_mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        tgt_pad = ys_in == PAD
        x = self.embed(ys_in) + self.pos[:T]
        for layer in self.decoders:
            x = layer(x, tgt_mask, tgt_pad, memory, feat_pad)
        return self.output_layer(self.after_norm(x))


def make_batch(g, frame_lens, token_lens, feat_dim=12, vocab=20):
    B = len(frame_lens)
    feats = torch.zeros(B, MAX_FRAMES, feat_dim)
    ys = torch.full((B, MAX_TOKENS + 1), PAD, dtype=torch.long)
    for i, (fl, tl) in enumerate(zip(frame_lens, token_lens)):
        feats[i, :fl] = torch.randn(fl, feat_dim, generator=g)
        ys[i, 0] = SOS
        ys[i, 1 : tl + 1] = torch.randint(2, vocab, (tl,), generator=g)
    return feats, torch.tensor(frame_lens), ys[:, :-1], ys[:, 1:]


def run():
    torch.manual_seed(0)
    model = Seq2SeqASR()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(29)
    feats, flens, ys_in, ys_out = make_batch(g, [10, 6, 8, 4], [3, 7, 5, 9])

    model.train()
    logits = model(feats, flens, ys_in)
    loss = F.cross_entropy(logits.reshape(-1, 20), ys_out.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        f2, l2, yi2, yo2 = make_batch(g, [5, 10, 7], [8, 2, 6])
        val_logits = model(f2, l2, yi2)
        val_loss = F.cross_entropy(val_logits.reshape(-1, 20), yo2.reshape(-1), ignore_index=PAD)
    return [loss.detach(), *grads, val_loss, val_logits.masked_fill((yi2 == PAD).unsqueeze(-1), 0.0)]
