import torch
import torch.nn as nn

from .masks import cue_order_mask


class CueWriter(nn.Module):
    """Predicts the next cue (fixture group, level, fade) from the cue list so far."""

    def __init__(self, cfg):
        super().__init__()
        m, d = cfg.model, cfg.data
        self.group = nn.Embedding(d.n_groups, m.dim)
        self.level = nn.Embedding(d.intensity_bins, m.dim)
        self.fade = nn.Embedding(d.fade_bins, m.dim)
        self.pos = nn.Embedding(d.max_cues, m.dim)
        layer = nn.TransformerEncoderLayer(m.dim, m.heads, 4 * m.dim, m.dropout,
                                           batch_first=m.batch_first)
        self.encoder = nn.TransformerEncoder(layer, m.layers, enable_nested_tensor=False)
        self.heads_out = nn.ModuleDict({
            "group": nn.Linear(m.dim, d.n_groups),
            "level": nn.Linear(m.dim, d.intensity_bins),
            "fade": nn.Linear(m.dim, d.fade_bins),
        })

    def forward(self, group, level, fade):
        # all inputs (cues, batch): the desk exports cue lists time-major
        steps = torch.arange(group.size(0), device=group.device)[:, None]
        x = self.group(group) + self.level(level) + self.fade(fade) + self.pos(steps)
        mask = cue_order_mask(group.size(1), group.device)  # expect: ML303
        h = self.encoder(x, mask=mask)
        return {name: head(h) for name, head in self.heads_out.items()}
