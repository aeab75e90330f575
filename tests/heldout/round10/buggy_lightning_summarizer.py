"""Abstractive summariser written as a LightningModule-style class (training_step / configure_optimizers)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

HPARAMS = dict(vocab=4000, d_model=64, nhead=4, layers=2, max_len=32, lr=3e-4, pad_id=0)


class LitSummarizer(nn.Module):
    def __init__(self, vocab, d_model, nhead, layers, max_len, lr, pad_id):
        super().__init__()
        self.hparams = dict(vocab=vocab, d_model=d_model, lr=lr, pad_id=pad_id, max_len=max_len)
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        self.model = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, 0.1, batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab)

    def _emb(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, article, summary_in):
        pad = self.hparams["pad_id"]
        src_pad = article == pad
        tgt_pad = summary_in == pad
        tgt_mask = self.model.generate_square_subsequent_mask(summary_in.size(1), dtype=torch.bool)
        out = self.model(self._emb(article), self._emb(summary_in), tgt_mask=tgt_mask, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=tgt_pad)  # expect: ML503
        return self.lm_head(out)

    def training_step(self, batch, batch_idx):
        article, summary = batch
        logits = self(article, shift_tokens_right(summary, self.hparams["pad_id"], bos_id=1))
        loss = F.cross_entropy(logits.transpose(1, 2), summary, ignore_index=self.hparams["pad_id"])
        return {"loss": loss, "log": {"train_loss": loss.detach()}}

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"])
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
        return [opt], [sched]


def shift_tokens_right(ids, pad_id, bos_id):
    shifted = ids.new_full(ids.shape, pad_id)
    shifted[:, 1:] = ids[:, :-1]
    shifted[:, 0] = bos_id
    return shifted


def collate(pairs, max_len, pad_id=0):
    def pad(seq):
        seq = seq[:max_len]
        return seq + [pad_id] * (max_len - len(seq))
    return (torch.tensor([pad(a) for a, _ in pairs]),
            torch.tensor([pad(s) for _, s in pairs]))


if __name__ == "__main__":
    torch.manual_seed(0)
    module = LitSummarizer(**HPARAMS)
    (opt,), (sched,) = module.configure_optimizers()
    pairs = [(torch.randint(3, 4000, (int(n),)).tolist(), torch.randint(3, 4000, (int(m),)).tolist() + [2])
             for n, m in zip(torch.randint(10, 40, (4,)), torch.randint(3, 12, (4,)))]
    article, summary = collate(pairs, HPARAMS["max_len"])
    for step in range(2):
        out = module.training_step((article, summary), step)
        opt.zero_grad()
        out["loss"].backward()
        opt.step()
        sched.step()
        print(step, out["loss"].item())
