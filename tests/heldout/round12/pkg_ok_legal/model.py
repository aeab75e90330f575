import torch
import torch.nn.functional as F
from torch import nn

from .data import BOS, PAD, ClauseBatch


class ClauseRewriter(nn.Module):
    def __init__(self, vocab: int = 200, dim: int = 32, heads: int = 4, layers: int = 2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(256, dim)
        self.seq2seq = nn.Transformer(dim, heads, layers, layers, 4 * dim, dropout=0.1, batch_first=True)
        self.lm_head = nn.Linear(dim, vocab)

    def _emb(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, batch: ClauseBatch):
        dec_in = batch.target[:, :-1]
        h = self.seq2seq(
            self._emb(batch.source), self._emb(dec_in),
            tgt_mask=batch.target_causal,
            src_key_padding_mask=batch.source_padding,
            tgt_key_padding_mask=batch.target_padding,
            memory_key_padding_mask=batch.source_padding,
        )
        logits = self.lm_head(h)
        return F.cross_entropy(logits.flatten(0, 1), batch.target[:, 1:].flatten(), ignore_index=PAD)

    @torch.no_grad()
    def rewrite(self, batch: ClauseBatch, max_len: int = 12):
        memory = self.seq2seq.encoder(self._emb(batch.source), src_key_padding_mask=batch.source_padding)
        out = torch.full((batch.source.size(0), 1), BOS, dtype=torch.long)
        for _ in range(max_len):
            causal = nn.Transformer.generate_square_subsequent_mask(out.size(1), dtype=torch.bool)
            h = self.seq2seq.decoder(self._emb(out), memory, tgt_mask=causal,
                                     memory_key_padding_mask=batch.source_padding)
            out = torch.cat([out, self.lm_head(h[:, -1:]).argmax(-1)], dim=1)
        return out[:, 1:]


def main():
    from .data import collate

    torch.manual_seed(0)
    pairs = [([11, 42, 57, 91, 13, 70, 22], [30, 31, 32]), ([11, 40, 8], [33, 34, 35, 36, 37])]
    batch = collate(pairs)
    model = ClauseRewriter()
    loss = model(batch)
    loss.backward()
    model.eval()
    print("loss", round(loss.item(), 4), "rewrite", model.rewrite(ClauseBatch(batch.source), 4).tolist())
