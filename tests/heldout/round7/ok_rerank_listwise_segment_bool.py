"""Listwise reranker: the query and k candidate passages are packed into one
sequence; the query attends only to itself, each passage attends to the query
and to itself (so passages cannot copy from each other and a passage's score
does not depend on its neighbours), and one relevance score is read from each
passage's first token. The visibility mask stays boolean (True = may attend),
which is what SDPA reads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pack(query, passages):
    ids, seg, starts = list(query), [0] * len(query), []
    for i, p in enumerate(passages, start=1):
        starts.append(len(ids))
        ids += p
        seg += [i] * len(p)
    return torch.tensor(ids), torch.tensor(seg), torch.tensor(starts)


def segment_visibility(seg):
    """(L, L) bool, True where query i may attend key j."""
    same = seg[:, None] == seg[None, :]
    to_query = (seg == 0)[None, :].expand(len(seg), -1)
    return same | to_query


class ListwiseEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4, layers=2):
        super().__init__()
        self.h = heads
        self.emb = nn.Embedding(vocab, d)
        self.seg_emb = nn.Embedding(8, d)
        self.qkv = nn.ModuleList([nn.Linear(d, 3 * d) for _ in range(layers)])
        self.proj = nn.ModuleList([nn.Linear(d, d) for _ in range(layers)])
        self.norm = nn.ModuleList([nn.LayerNorm(d) for _ in range(layers)])
        self.score = nn.Linear(d, 1)

    def forward(self, ids, seg, starts):
        x = (self.emb(ids) + self.seg_emb(seg))[None]
        L = ids.size(0)
        vis = segment_visibility(seg)
        for qkv, proj, norm in zip(self.qkv, self.proj, self.norm):
            q, k, v = qkv(norm(x)).view(1, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(
                q, k, v,
                attn_mask=vis,
            )
            x = x + proj(y.transpose(1, 2).reshape(1, L, -1))
        return self.score(x[0, starts]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ListwiseEncoder().eval()
    q = [1, 5, 6]
    passages = [[10, 11, 12], [20, 21], [30, 31, 32, 33]]
    ids, seg, starts = pack(q, passages)
    with torch.no_grad():
        a = model(ids, seg, starts)
        ids2, seg2, starts2 = pack(q, [passages[0], [22, 23], passages[2]])  # change passage 2 only
        b = model(ids2, seg2, starts2)
        ids3, seg3, starts3 = pack(q, [[10, 11, 13], passages[1], passages[2]])  # change passage 1 itself
        c = model(ids3, seg3, starts3)
    assert abs(a[0] - b[0]) < 1e-5 and abs(a[2] - b[2]) < 1e-5, "passages leaked into each other"
    assert abs(a[0] - c[0]) > 1e-5, "a passage's own text must matter"
    print("ok: passage scores independent", a.tolist())
