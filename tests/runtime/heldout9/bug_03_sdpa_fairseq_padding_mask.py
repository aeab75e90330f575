# EXPECT: bug a fairseq-style encoder_padding_mask (True = pad) is handed unchanged to F.scaled_dot_product_attention as a boolean attn_mask (True = attend), so queries attend only to padding.
"""Imitates fairseq's TransformerEncoder (src_tokens.eq(padding_idx) padding mask,
T x B x C layout inside the layers) after porting MultiheadAttention to
F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SDPAMultiheadAttention(nn.Module):
    """Drop-in replacement for fairseq.modules.MultiheadAttention (self-attention only)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.dropout = dropout
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key_padding_mask=None):
        tgt_len, bsz, embed_dim = query.size()
        q, k, v = self.in_proj(query).chunk(3, dim=-1)

        def shape(x):
            return x.contiguous().view(tgt_len, bsz, self.num_heads, self.head_dim).permute(1, 2, 0, 3)

        q, k, v = shape(q), shape(k), shape(v)
        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = key_padding_mask.view(bsz, 1, 1, tgt_len)
        attn = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0
        )
        attn = attn.permute(2, 0, 1, 3).reshape(tgt_len, bsz, embed_dim)
        return self.out_proj(attn)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim, heads, ffn_dim, dropout):
        super().__init__()
        self.self_attn = SDPAMultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x = self.self_attn(self.self_attn_layer_norm(x), key_padding_mask=encoder_padding_mask)
        x = residual + self.dropout(x)
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))
        return residual + self.dropout(x)


class TransformerEncoder(nn.Module):
    def __init__(self, vocab=32, embed_dim=32, heads=4, layers=2, padding_idx=1, dropout=0.1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(20, embed_dim)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim, heads, 64, dropout) for _ in range(layers)])
        self.layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src_tokens):
        encoder_padding_mask = src_tokens.eq(self.padding_idx)  # B x T, True = pad
        positions = torch.arange(src_tokens.size(1)).unsqueeze(0)
        x = self.dropout(self.embed_tokens(src_tokens) + self.embed_positions(positions))
        x = x * (1 - encoder_padding_mask.unsqueeze(-1).type_as(x))
        x = x.transpose(0, 1)  # B x T x C -> T x B x C
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        x = self.layer_norm(x)
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


class TokenTagger(nn.Module):
    def __init__(self, num_tags=5):
        super().__init__()
        self.encoder = TransformerEncoder()
        self.proj = nn.Linear(32, num_tags)

    def forward(self, src_tokens):
        out = self.encoder(src_tokens)
        return self.proj(out["encoder_out"].transpose(0, 1)), out["encoder_padding_mask"]


def collate_tokens(values, pad_idx=1):
    size = max(v.size(0) for v in values)
    res = values[0].new_full((len(values), size), pad_idx)
    for i, v in enumerate(values):
        res[i, : len(v)].copy_(v)
    return res


def run():
    torch.manual_seed(0)
    model = TokenTagger()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(5)
    seqs = [torch.randint(2, 32, (n,), generator=g) for n in (10, 6, 8, 4)]
    src = collate_tokens(seqs)
    tags = torch.randint(0, 5, src.shape, generator=g).masked_fill(src.eq(1), -100)

    model.train()
    logits, _ = model(src)
    loss = F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        src2 = collate_tokens([torch.randint(2, 32, (n,), generator=g) for n in (7, 9, 3)])
        logits2, pad = model(src2)
        pred = logits2.argmax(-1).masked_fill(pad, -1)
    return [loss.detach(), *grads, logits2.masked_fill(pad.unsqueeze(-1), 0.0), pred]
