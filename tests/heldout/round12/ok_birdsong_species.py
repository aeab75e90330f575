"""Bird species identification from a sequence of segmented song syllables.

A bidirectional encoder over syllable embeddings with a [CLS] slot; clips
contain different numbers of syllables, so keys are padded.  The padding mask
is the additive float form (0 keep, -inf drop), which every MHA code path
reads the same way.
"""
import torch
import torch.nn.functional as F
from torch import nn

SPECIES = ["turdus_merula", "erithacus_rubecula", "fringilla_coelebs", "parus_major", "sylvia_atricapilla"]


def additive_key_padding(n_syllables: torch.Tensor, max_len: int, n_prefix: int = 1) -> torch.Tensor:
    """(N,) counts -> (N, n_prefix + max_len) float: 0 for real keys, -inf for padding."""
    pad = torch.arange(max_len)[None, :] >= n_syllables[:, None]
    pad = F.pad(pad, (n_prefix, 0), value=False)
    return torch.zeros(pad.shape).masked_fill(pad, float("-inf"))


class SyllableEncoder(nn.Module):
    def __init__(self, feat_dim=24, dim=32, heads=4, depth=2):
        super().__init__()
        self.proj = nn.Linear(feat_dim, dim)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Embedding(64, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True, activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Linear(dim, len(SPECIES))

    def forward(self, syllables, n_syllables):
        """syllables (N, S, feat_dim): pitch contour, duration, bandwidth, ... per syllable."""
        x = self.proj(syllables)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)
        x = x + self.pos(torch.arange(x.size(1)))
        key_padding = additive_key_padding(n_syllables, syllables.size(1))
        h = self.encoder(x, src_key_padding_mask=key_padding)
        return self.head(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    n_syllables = torch.tensor([9, 4, 6])
    syllables = torch.randn(3, 9, 24) * (torch.arange(9)[None, :, None] < n_syllables[:, None, None])
    labels = torch.tensor([0, 3, 1])
    model = SyllableEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = F.cross_entropy(model(syllables, n_syllables), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        probs = model(syllables, n_syllables).softmax(-1)
    print("train loss", round(loss.item(), 4), "top species", [SPECIES[i] for i in probs.argmax(-1)])
