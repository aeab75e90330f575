"""ColBERT-style late interaction built on nn.TransformerEncoder.

Queries are padded to a fixed length with [MASK] tokens that ARE attended to
(query augmentation), so queries use no padding mask at all.  Documents are
padded with [PAD] and use src_key_padding_mask = (attention_mask == 0).  The
MaxSim reduction skips padded document tokens (this is scoring, not attention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, MASK, CLS, QM, DM = 0, 1, 2, 3, 4


class LateInteraction(nn.Module):
    def __init__(self, vocab=1500, d=64, h=4, n=2, out=24, q_len=10):
        super().__init__()
        self.q_len = q_len
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(128, d)
        layer = nn.TransformerEncoderLayer(d, h, 4 * d, dropout=0.0, batch_first=True, activation="gelu")
        self.bert = nn.TransformerEncoder(layer, n, enable_nested_tensor=False)
        self.linear = nn.Linear(d, out, bias=False)

    def _encode(self, ids, key_padding_mask=None):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        return F.normalize(self.linear(self.bert(x, src_key_padding_mask=key_padding_mask)), dim=-1)

    def encode_query(self, q):
        ids = torch.full((q.size(0), self.q_len), MASK)
        ids[:, 0], ids[:, 1] = CLS, QM
        ids[:, 2 : 2 + q.size(1)] = q[:, : self.q_len - 2]
        return self._encode(ids)  # [MASK] augmentation: everything attended

    def encode_doc(self, d, attention_mask):
        ids = torch.cat([torch.tensor([[CLS, DM]]).expand(d.size(0), -1), d], 1)
        am = torch.cat([torch.ones(d.size(0), 2, dtype=attention_mask.dtype), attention_mask], 1)
        return self._encode(ids, key_padding_mask=am == 0), am

    @staticmethod
    def maxsim(Q, D, d_am):
        sim = torch.einsum("qid,pjd->qpij", Q, D)
        sim = sim.masked_fill(d_am[None, :, None, :] == 0, float("-inf"))
        return sim.max(-1).values.sum(-1)  # (n_queries, n_docs)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = LateInteraction().eval()
    q = torch.randint(5, 1500, (2, 5))
    d = torch.randint(5, 1500, (3, 16))
    am = torch.ones(3, 16, dtype=torch.long)
    am[1, 10:] = 0
    am[2, 4:] = 0
    d = d * am
    with torch.no_grad():
        Q = m.encode_query(q)
        D, dam = m.encode_doc(d, am)
        scores = m.maxsim(Q, D, dam)
        D_solo, dam_solo = m.encode_doc(d[2:, :4], am[2:, :4])
        solo = m.maxsim(Q, D_solo, dam_solo)
    assert torch.allclose(scores[:, 2], solo[:, 0], atol=1e-5)
    assert torch.isfinite(scores).all()
    print("OK: doc padding masked in attention and in MaxSim; query [MASK]s attended")
