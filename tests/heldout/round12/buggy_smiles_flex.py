"""Character-level SMILES generator trained on packed sequences.

Several molecules are concatenated into one row to avoid padding; a document
id per position keeps molecules from attending to each other.  Attention runs
through FlexAttention with a block mask built from the document ids.
"""
import warnings

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

ALPHABET = list("^$CNOSPFIBrcl()[]=#@+-123456789") + ["<pad>"]
BOS, EOS = ALPHABET.index("^"), ALPHABET.index("$")


def pack(smiles, row_len):
    ids = [ALPHABET.index(c) for s in smiles for c in f"^{s}$"][:row_len]
    doc = [d for d, s in enumerate(smiles) for _ in range(len(s) + 2)][:row_len]
    return torch.tensor(ids), torch.tensor(doc)


def document_mask_mod(doc_ids):
    """Pairs that must stay apart: another molecule, or a later character."""

    def hidden(b, h, q_idx, kv_idx):
        other_molecule = doc_ids[b, q_idx] != doc_ids[b, kv_idx]
        later = kv_idx > q_idx
        return other_molecule | later

    return hidden


class PackedLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(ALPHABET), dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                              nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.lm = nn.Linear(dim, len(ALPHABET))

    def forward(self, ids, doc_ids):
        b, t = ids.shape
        block_mask = create_block_mask(document_mask_mod(doc_ids), b, None, t, t, device=ids.device)  # expect: ML102
        x = self.emb(ids)
        for qkv, ff in zip(self.qkv, self.ff):
            q, k, v = qkv(F.layer_norm(x, x.shape[-1:])).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, block_mask=block_mask)
            x = x + y.transpose(1, 2).reshape(b, t, -1)
            x = x + ff(x)
        return self.lm(x)


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")
    torch.manual_seed(0)
    rows = [pack(["CCO", "c1ccccc1", "CC(=O)O"], 24), pack(["CN=C=O", "OCC(O)CO", "CC#N"], 24)]
    ids = torch.stack([r[0] for r in rows])
    doc = torch.stack([r[1] for r in rows])
    model = PackedLM().eval()
    with torch.no_grad():                         # validation perplexity of a checkpoint
        logits = model(ids[:, :-1], doc[:, :-1])
        same_doc = doc[:, 1:] == doc[:, :-1]      # no loss across molecule boundaries
        nll = F.cross_entropy(logits[same_doc], ids[:, 1:][same_doc])
    print("packed LM val ppl", round(nll.exp().item(), 3))
