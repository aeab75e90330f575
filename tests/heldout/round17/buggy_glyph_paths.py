"""Glyph outline generator for a variable-font design tool.

Outlines are sequences of path commands (moveTo, lineTo, qCurveTo, curveTo,
closePath) with up to six quantised coordinates; generation is conditioned on
the character code and a style vector taken from the reference masters.
"""
import torch
import torch.nn as nn

COMMANDS = ("pad", "moveTo", "lineTo", "qCurveTo", "curveTo", "closePath", "end")
N_ARGS = 6


class GlyphDecoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3, coord_bins=256, n_chars=1024, style_dim=32):
        super().__init__()
        self.cmd = nn.Embedding(len(COMMANDS), dim)
        self.args = nn.Embedding(coord_bins + 1, dim // N_ARGS)
        self.args_proj = nn.Linear(N_ARGS * (dim // N_ARGS), dim)
        self.char = nn.Embedding(n_chars, dim)
        self.style = nn.Linear(style_dim, dim)
        self.pos = nn.Embedding(256, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1,
                                           batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.next_cmd = nn.Linear(dim, len(COMMANDS))
        self.next_args = nn.Linear(dim, N_ARGS * (coord_bins + 1))

    def forward(self, commands, args, char_code, style):
        # commands: (batch, steps); args: (batch, steps, N_ARGS)
        b, t = commands.shape
        a = self.args(args).flatten(2)
        x = self.cmd(commands) + self.args_proj(a) + self.pos(torch.arange(t, device=commands.device))
        x = x + (self.char(char_code) + self.style(style))[:, None]
        causal = nn.Transformer.generate_square_subsequent_mask(commands.size(0), device=x.device)  # expect: ML303
        h = self.body(x, mask=causal)
        return self.next_cmd(h), self.next_args(h).view(b, t, N_ARGS, -1)

