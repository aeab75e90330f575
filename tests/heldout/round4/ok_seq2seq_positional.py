"""Summarisation seq2seq whose forward mirrors nn.Transformer's argument order."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class Summarizer(nn.Module):
    def __init__(self, vocab, d_model=384, nhead=6, n_enc=4, n_dec=4, max_len=1024):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.core = nn.Transformer(d_model, nhead, n_enc, n_dec, 4 * d_model, 0.1, batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)
        self.lm_head.weight = self.embed.weight

    def _emb(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None):
        out = self.core(
            self._emb(src), self._emb(tgt),
            src_mask, tgt_mask, memory_mask,
            src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask,
        )
        return self.lm_head(out)


def step(model, batch, opt):
    src, tgt = batch["article"], batch["summary"]
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    S, T = src.size(1), tgt_in.size(1)
    src_mask = torch.zeros(S, S, dtype=torch.bool, device=src.device)
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, device=src.device, dtype=torch.bool)
    src_pad = src.eq(PAD)
    tgt_pad = tgt_in.eq(PAD)
    logits = model(src, tgt_in, src_mask, tgt_mask, None, src_pad, tgt_pad, src_pad)
    loss = F.cross_entropy(logits.flatten(0, 1), tgt_out.flatten(), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Summarizer(vocab=100)
    batch = {
        "article": torch.tensor([[5, 6, 7, 8, 9, 10], [11, 12, 13, 0, 0, 0]]),
        "summary": torch.tensor([[1, 5, 6, 2, 0], [1, 11, 2, 0, 0]]),
    }
    print(step(m, batch, torch.optim.Adam(m.parameters(), 1e-4)))
