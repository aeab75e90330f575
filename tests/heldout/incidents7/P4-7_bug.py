"""Packed-sequence pretraining step: several documents are packed into one row and a
block-diagonal document mask is given to nn.TransformerEncoderLayer (cf. pytorch issue 131254)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def document_block_mask(doc_ids):
    """(L, L) bool, True where query and key belong to different documents (blocked)."""
    return doc_ids[:, None] != doc_ids[None, :]


class PackedLM(nn.Module):
    def __init__(self, vocab=80, d_model=32, nhead=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(128, d_model)
        self.blocks = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(depth)
        ])
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, tokens, doc_ids, positions):
        L = tokens.shape[1]
        src_mask = document_block_mask(doc_ids)
        h = self.embed(tokens) + self.pos(positions)
        for blk in self.blocks:
            h = blk(h, src_mask=src_mask, is_causal=True)  # BUG
        return self.lm_head(h)


def pack(docs):
    tokens, doc_ids, positions = [], [], []
    for d, doc in enumerate(docs):
        tokens += doc
        doc_ids += [d] * len(doc)
        positions += list(range(len(doc)))
    return torch.tensor([tokens]), torch.tensor(doc_ids), torch.tensor([positions])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PackedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    tokens, doc_ids, positions = pack([[5, 9, 2, 33, 7], [12, 40, 41], [8, 8, 19, 20]])
    logits = model(tokens[:, :-1], doc_ids[:-1], positions[:, :-1])
    targets = tokens[:, 1:].clone()
    targets[0, doc_ids[1:] != doc_ids[:-1]] = -100
    loss = F.cross_entropy(logits.reshape(-1, 80), targets.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
