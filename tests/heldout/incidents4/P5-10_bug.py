import torch
import torch.nn.functional as F


def init_layer_params(embed_dim, ffn_dim, generator=None):
    def w(*shape):
        return torch.randn(*shape, generator=generator) * shape[-1] ** -0.5

    return {
        "in_proj_weight": w(3 * embed_dim, embed_dim),
        "in_proj_bias": torch.zeros(3 * embed_dim),
        "out_proj_weight": w(embed_dim, embed_dim),
        "out_proj_bias": torch.zeros(embed_dim),
        "fc1": w(ffn_dim, embed_dim),
        "fc2": w(embed_dim, ffn_dim),
        "ln_attn": (torch.ones(embed_dim), torch.zeros(embed_dim)),
        "ln_ffn": (torch.ones(embed_dim), torch.zeros(embed_dim)),
    }


def self_attention(params, x, num_heads, key_padding_mask=None, attn_mask=None, dropout=0.0, training=False):
    embed_dim = x.size(-1)
    out, _ = F.multi_head_attention_forward(
        x, x, x, embed_dim, num_heads,
        params["in_proj_weight"], params["in_proj_bias"],
        None, None, False, dropout,
        params["out_proj_weight"], params["out_proj_bias"],
        training=training, key_padding_mask=key_padding_mask, need_weights=False, attn_mask=attn_mask,
    )
    return out


def encoder_layer(params, x, encoder_padding_mask, num_heads, attn_mask=None, training=False):
    if attn_mask is not None:
        attn_mask = attn_mask.to(torch.bool)
    residual = x
    x = self_attention(params, x, num_heads, key_padding_mask=encoder_padding_mask, training=training)  # BUG
    x = F.layer_norm(residual + x, x.shape[-1:], *params["ln_attn"])
    residual = x
    x = F.linear(F.relu(F.linear(x, params["fc1"])), params["fc2"])
    return F.layer_norm(residual + x, x.shape[-1:], *params["ln_ffn"])


def local_window_mask(seq_len, window):
    idx = torch.arange(seq_len)
    return ((idx[None, :] - idx[:, None]).abs() > window).float()


def encode(layers, tokens, embed, num_heads, pad_idx=1, window=None):
    x = embed[tokens].transpose(0, 1)
    encoder_padding_mask = tokens.eq(pad_idx)
    attn_mask = local_window_mask(tokens.size(1), window) if window is not None else None
    for params in layers:
        x = encoder_layer(params, x, encoder_padding_mask, num_heads, attn_mask=attn_mask)
    return x.transpose(0, 1), encoder_padding_mask
