"""Per-protein embedding model (family classification) on variable-length residue sequences."""
import torch
from torch import nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD, CLS = 0, 1


def encode(seqs):
    lengths = torch.tensor([len(s) + 1 for s in seqs])
    ids = torch.full((len(seqs), int(lengths.max())), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, 0] = CLS
        ids[i, 1 : len(s) + 1] = torch.tensor([AMINO.index(a) + 2 for a in s])
    return ids, lengths


def length_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


class ProteinFamilyEncoder(nn.Module):
    def __init__(self, n_families=12, d_model=64, nhead=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(len(AMINO) + 2, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(512, d_model) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.0, batch_first=True), depth
        )
        self.classifier = nn.Linear(d_model, n_families)

    def embed_proteins(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        valid = length_mask(lengths, ids.size(1))
        h = self.embed(ids) + self.pos[: ids.size(1)]
        h = self.encoder(h, src_key_padding_mask=valid)  # expect: ML101
        h = h.masked_fill(~valid[..., None], 0.0)
        return h.sum(1) / lengths[:, None]

    def forward(self, ids, lengths):
        return self.classifier(self.embed_proteins(ids, lengths))


if __name__ == "__main__":
    torch.manual_seed(0)
    ids, lengths = encode(["MKTAYIAKQR", "GAVLI", "MSTNPKPQRKTKRNTNRRPQDVKFPGG"])
    model = ProteinFamilyEncoder()
    print("train logits", model(ids, lengths).shape)
    model.eval()
    with torch.no_grad():
        print("eval embedding finite:", torch.isfinite(model.embed_proteins(ids, lengths)).all().item())
