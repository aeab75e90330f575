import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


class DecoderConfig:
    n_embd = 32
    n_head = 4
    n_layer = 2
    vocab = 48


class Attention(nn.Module):
    def __init__(self, cfg, is_cross_attn=False):
        super().__init__()
        self.num_heads = cfg.n_head
        self.head_dim = cfg.n_embd // cfg.n_head
        self.is_cross_attn = is_cross_attn
        self.q_proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=False)
        self.kv_proj = nn.Linear(cfg.n_embd, 2 * cfg.n_embd, bias=False)
        self.o_proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=False)

    def forward(self, x, kv_source, attn_mask=None, is_causal=False):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = self.kv_proj(kv_source).view(b, kv_source.size(1), 2, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask,
            is_causal=is_causal if attn_mask is None else False,  # BUG
        )
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attention = Attention(cfg)
        self.cross_attention = Attention(cfg, is_cross_attn=True)
        self.pre_sa_norm, self.pre_ca_norm = nn.RMSNorm(cfg.n_embd), nn.RMSNorm(cfg.n_embd)

    def forward(self, x, enc_out, self_attn_mask, cross_attn_mask):
        h = self.pre_sa_norm(x)
        x = x + self.self_attention(h, h, attn_mask=self_attn_mask, is_causal=True)
        h = self.pre_ca_norm(x)
        return x + self.cross_attention(h, enc_out, attn_mask=cross_attn_mask)


def create_attn_mask(q_padding, k_padding, is_causal):
    mask = q_padding[:, None, :, None] & k_padding[:, None, None, :]
    if is_causal:
        t_q, t_k = q_padding.size(1), k_padding.size(1)
        mask = mask & torch.ones(t_q, t_k, dtype=torch.bool).tril()
    return mask


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DecoderConfig()
    layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.n_layer)]).eval()
    x = torch.randn(2, 6, cfg.n_embd)
    enc = torch.randn(2, 5, cfg.n_embd)
    dec_pad = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    enc_pad = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    self_mask = create_attn_mask(dec_pad, dec_pad, is_causal=True)
    cross_mask = create_attn_mask(dec_pad, enc_pad, is_causal=False)
    try:
        with torch.no_grad(), sdpa_kernel([SDPBackend.MATH]):
            for layer in layers:
                x = layer(x, enc, self_mask, cross_mask)
        print(f"ok; decoder output finite = {bool(torch.isfinite(x).all())}")
    except RuntimeError as err:
        print(f"RuntimeError: {err}")
