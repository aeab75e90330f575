"""Sleep staging over a night of 30-second EEG epochs.

Epoch features come from a frozen per-epoch CNN and are vector-quantised to
codes.  The sequence model is seq-first, (epochs, nights), matching the
streaming recorder; nights are padded at the end with code 0.
"""
import torch
import torch.nn.functional as F
from torch import nn

STAGES = ["W", "N1", "N2", "N3", "REM"]
N_CODES, PAD = 128, 0


class NightEncoder(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, max_epochs=1200):
        super().__init__()
        self.codes = nn.Embedding(N_CODES, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_epochs, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1)      # (S, N, E)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.stage = nn.Linear(dim, len(STAGES))

    def forward(self, codes):
        """codes (S, N) -> stage logits (S, N, 5)."""
        s = codes.size(0)
        x = self.codes(codes) + self.pos(torch.arange(s)).unsqueeze(1)
        key_padding = codes.eq(PAD).t()                  # (N, S): torch wants batch first here
        return self.stage(self.encoder(x, src_key_padding_mask=key_padding))


def collate_nights(nights):
    """list of (S_i,) code tensors -> (S_max, N) seq-first batch."""
    s = max(len(n) for n in nights)
    out = torch.full((s, len(nights)), PAD, dtype=torch.long)
    for j, n in enumerate(nights):
        out[: len(n), j] = n
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    nights = [torch.randint(1, N_CODES, (n,)) for n in (40, 28, 33)]
    stages = [torch.randint(0, len(STAGES), (len(n),)) for n in nights]
    codes = collate_nights(nights)
    target = collate_nights([s + 1 for s in stages]) - 1      # -1 marks padding
    model = NightEncoder()
    logits = model(codes)
    loss = F.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index=-1)
    loss.backward()
    model.eval()
    with torch.no_grad():
        hypnogram = model(codes).argmax(-1)[:, 1]
    print("loss", round(loss.item(), 4), "night 2 first stages", [STAGES[i] for i in hypnogram[:8]])
