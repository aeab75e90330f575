import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention
PAD_SEQ_ID = -1


def chain_ids_from_breaks(tokens, chainbreak_id, pad_id):
    is_break = (tokens == chainbreak_id).long()
    seq_id = torch.cumsum(is_break, dim=-1)
    return seq_id.masked_fill(tokens == pad_id, PAD_SEQ_ID)


def build_block_mask(seq_id):
    mask_BLL = seq_id[:, :, None] == seq_id[:, None, :]  # BUG
    return mask_BLL[:, None]


def rotary(x, base=10000.0):
    n, d = x.shape[-2], x.shape[-1]
    inv = 1.0 / base ** (torch.arange(0, d, 2, device=x.device) / d)
    ang = torch.einsum("n,f->nf", torch.arange(n, device=x.device).float(), inv)
    cos, sin = ang.cos().repeat_interleave(2, -1), ang.sin().repeat_interleave(2, -1)
    x_rot = torch.stack((-x[..., 1::2], x[..., ::2]), dim=-1).flatten(-2)
    return x * cos + x_rot * sin


def mha(x, weights, n_heads, mask_BHLL):
    b, n, d = x.shape
    qkv = torch.einsum("bnd,kd->bnk", x, weights["qkv"]).view(b, n, 3, n_heads, d // n_heads)
    q, k, v = qkv.permute(2, 0, 3, 1, 4)
    q, k = rotary(q), rotary(k)
    out = sdpa(q, k, v, attn_mask=mask_BHLL)  # BUG
    return torch.einsum("bnd,ed->bne", out.transpose(1, 2).reshape(b, n, d), weights["out"])


class ESMCLite(nn.Module):
    def __init__(self, vocab=33, d_model=64, n_heads=4, n_layers=2, pad_id=1, chainbreak_id=31):
        super().__init__()
        self.n_heads, self.pad_id, self.chainbreak_id = n_heads, pad_id, chainbreak_id
        self.embed = nn.Embedding(vocab, d_model)
        self.qkv = nn.ParameterList([nn.Parameter(torch.randn(3 * d_model, d_model) * d_model ** -0.5) for _ in range(n_layers)])
        self.out = nn.ParameterList([nn.Parameter(torch.randn(d_model, d_model) * d_model ** -0.5) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, sequence_tokens):
        seq_id = chain_ids_from_breaks(sequence_tokens, self.chainbreak_id, self.pad_id)
        mask = build_block_mask(seq_id)
        x = self.embed(sequence_tokens)
        for w_qkv, w_out in zip(self.qkv, self.out):
            x = x + mha(self.norm(x), {"qkv": w_qkv, "out": w_out}, self.n_heads, mask)
        return self.head(self.norm(x)), x
