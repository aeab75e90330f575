"""Slot assignment for parcel lockers (set prediction with learned queries).

Given the parcels waiting at a depot for one locker bank (dimensions, weight,
recipient tier), the model predicts, for each of the bank's compartments, which
parcel should go in it (or none). Compartment queries are learned embeddings
decoded in parallel, so there is no left-to-right order between them.
"""
import torch
import torch.nn as nn

N_COMPARTMENTS = 24


class SlotAssigner(nn.Module):
    def __init__(self, d=48, nhead=4, layers=2):
        super().__init__()
        self.parcel = nn.Linear(6, d)                     # l, w, h, kg, tier, days waiting
        self.compartment = nn.Embedding(N_COMPARTMENTS, d)
        self.comp_size = nn.Linear(3, d)                  # compartment l, w, h
        enc = nn.TransformerEncoderLayer(d, nhead, 2 * d, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        dec = nn.TransformerDecoderLayer(d, nhead, 2 * d, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.to_key = nn.Linear(d, d)
        self.empty = nn.Linear(d, 1)

    def forward(self, parcels, parcel_pad, comp_sizes):
        B = parcels.size(0)
        memory = self.encoder(self.parcel(parcels), src_key_padding_mask=parcel_pad)
        queries = self.compartment.weight[None].expand(B, -1, -1) + self.comp_size(comp_sizes)
        # compartments are filled jointly; every query may look at every other one
        h = self.decoder(queries, memory, memory_key_padding_mask=parcel_pad)
        scores = torch.einsum("bqd,bpd->bqp", self.to_key(h), memory)
        scores = scores.masked_fill(parcel_pad[:, None, :], float("-inf"))
        return torch.cat([scores, self.empty(h)], dim=-1)   # last column = leave compartment empty


if __name__ == "__main__":
    torch.manual_seed(0)
    parcels = torch.rand(2, 15, 6)
    parcel_pad = torch.arange(15)[None] >= torch.tensor([[15], [6]])
    comp_sizes = torch.rand(2, N_COMPARTMENTS, 3)
    model = SlotAssigner()
    logits = model(parcels, parcel_pad, comp_sizes)
    print(logits.shape, torch.isfinite(logits.logsumexp(-1)).all().item())
