"""is_causal used as documented: a hint next to a real causal mask (MHA family), or alone (SDPA)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderOnlyLM(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=6):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(d_model, nhead, 2048, batch_first=True) for _ in range(num_layers)]
        )
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        x = self.embed(tokens)
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), device=tokens.device)
        for layer in self.layers:
            x = layer(x, src_mask=causal, is_causal=True)
        return self.lm_head(x)


class CausalMHABlock(nn.Module):
    def __init__(self, d_model=512, nhead=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x):
        T = x.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        h, _ = self.attn(x, x, x, attn_mask=future, need_weights=False, is_causal=True)
        return self.norm(x + h)


class SDPABlock(nn.Module):
    def __init__(self, d_model=512, nhead=8):
        super().__init__()
        self.nhead = nhead
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.nhead, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return y.transpose(1, 2).reshape(B, T, C)


class Decoder(nn.Module):
    def __init__(self, d_model=512, nhead=8):
        super().__init__()
        layer = nn.TransformerDecoderLayer(d_model, nhead, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=6)

    def forward(self, tgt, memory, memory_pad):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), device=tgt.device, dtype=torch.bool)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_pad, tgt_is_causal=True)
