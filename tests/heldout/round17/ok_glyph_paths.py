"""Glyph outline generator for a variable-font design tool (buffered causal mask)."""
import torch
import torch.nn as nn

COMMANDS = ("pad", "moveTo", "lineTo", "qCurveTo", "curveTo", "closePath", "end")
N_ARGS = 6


class GlyphDecoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3, coord_bins=256, n_chars=1024, style_dim=32,
                 max_steps=256):
        super().__init__()
        self.cmd = nn.Embedding(len(COMMANDS), dim)
        self.args = nn.Embedding(coord_bins + 1, dim // N_ARGS)
        self.args_proj = nn.Linear(N_ARGS * (dim // N_ARGS), dim)
        self.char = nn.Embedding(n_chars, dim)
        self.style = nn.Linear(style_dim, dim)
        self.pos = nn.Embedding(max_steps, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1,
                                           batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.next_cmd = nn.Linear(dim, len(COMMANDS))
        self.next_args = nn.Linear(dim, N_ARGS * (coord_bins + 1))
        self.register_buffer(
            "causal", nn.Transformer.generate_square_subsequent_mask(max_steps), persistent=False
        )

    def forward(self, commands, args, char_code, style):
        b, t = commands.shape
        a = self.args(args).flatten(2)
        x = self.cmd(commands) + self.args_proj(a) + self.pos(torch.arange(t, device=commands.device))
        x = x + (self.char(char_code) + self.style(style))[:, None]
        h = self.body(x, mask=self.causal[:t, :t], is_causal=True)
        return self.next_cmd(h), self.next_args(h).view(b, t, N_ARGS, -1)
