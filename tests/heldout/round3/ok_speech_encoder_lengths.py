"""Keyword-spotting / speaker model: conv front-end, seq-first transformer
encoder over frames, and a CLIP-style attention pool implemented with
F.multi_head_attention_forward."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def frames_padding_mask(lengths: torch.Tensor, max_frames: int) -> torch.Tensor:
    """(N,) -> (N, T) bool, True on padded frames (the layout MHA wants)."""
    return torch.arange(max_frames, device=lengths.device)[None, :] >= lengths[:, None]


class AttentionPool1d(nn.Module):
    def __init__(self, embed_dim, num_heads, output_dim):
        super().__init__()
        self.num_heads = num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.c_proj = nn.Linear(embed_dim, output_dim)

    def forward(self, x, pad):
        # x: (T, N, C); pad: (N, T) True on padded frames
        lengths = (~pad).sum(1).clamp(min=1).to(x.dtype)
        mean = (x * (~pad).t().unsqueeze(-1)).sum(0, keepdim=True) / lengths[None, :, None]
        x = torch.cat([mean, x], dim=0)  # (T + 1, N, C), the mean token is always visible
        pad = F.pad(pad, (1, 0), value=False)
        out, _ = F.multi_head_attention_forward(
            query=x[:1], key=x, value=x,
            embed_dim_to_check=x.shape[-1],
            num_heads=self.num_heads,
            q_proj_weight=self.q_proj.weight,
            k_proj_weight=self.k_proj.weight,
            v_proj_weight=self.v_proj.weight,
            in_proj_weight=None,
            in_proj_bias=torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            bias_k=None, bias_v=None, add_zero_attn=False, dropout_p=0.0,
            out_proj_weight=self.c_proj.weight, out_proj_bias=self.c_proj.bias,
            use_separate_proj_weight=True,
            training=self.training,
            key_padding_mask=pad,
            need_weights=False,
        )
        return out.squeeze(0)


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=256, nhead=4, num_layers=6, emb_dim=192):
        super().__init__()
        self.frontend = nn.Sequential(
            nn.Conv1d(n_mels, d_model, 5, stride=2, padding=2), nn.GELU(),
            nn.Conv1d(d_model, d_model, 3, stride=1, padding=1), nn.GELU(),
        )
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1)  # seq-first
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.pool = AttentionPool1d(d_model, nhead, emb_dim)

    def forward(self, mels, mel_lengths):
        # mels: (N, n_mels, T_in)
        x = self.frontend(mels)  # (N, C, T)
        lengths = (mel_lengths + 1) // 2  # stride-2 conv, padding 2, kernel 5
        pad = frames_padding_mask(lengths, x.size(-1))  # (N, T)
        x = x.permute(2, 0, 1)  # (T, N, C)
        x = self.encoder(x, src_key_padding_mask=pad)
        return F.normalize(self.pool(x, pad), dim=-1)
