import torch
from torch import nn


class AttentionMaskConverter:
    def __init__(self, is_causal: bool):
        self.is_causal = is_causal

    def _make_causal_mask(self, bsz, tgt_len, dtype):
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
        cond = torch.arange(tgt_len)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        return mask.to(dtype)[None, None].expand(bsz, 1, tgt_len, tgt_len)

    def _expand_mask(self, mask, dtype, tgt_len):
        bsz, src_len = mask.shape
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        bsz = attention_mask_2d.shape[0]
        causal_4d_mask = self._make_causal_mask(bsz, query_length, dtype) if self.is_causal else None
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, query_length)
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask + expanded_attn_mask  # BUG
        return expanded_attn_mask


class LlamaAttentionEager(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        w = q @ k.transpose(-1, -2) / self.head_dim ** 0.5 + mask
        w = w.softmax(-1)
        return self.o_proj((w @ v).transpose(1, 2).reshape(b, s, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    converter = AttentionMaskConverter(is_causal=True)
    attn = LlamaAttentionEager().eval()
    x = torch.randn(2, 6, 32)
    pad = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = converter.to_4d(pad, 6, torch.float32)
    with torch.no_grad():
        out = attn(x, mask)
    print(f"-inf entries in the 4-D mask = {int(torch.isinf(mask).sum())}; NaN outputs = {int(torch.isnan(out).sum())}")
