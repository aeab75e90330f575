"""Seq2seq translation model on nn.Transformer with greedy and incremental decoding."""
import torch
import torch.nn as nn


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=50, tgt_vocab=50, d_model=32, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=pad_id)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(64, d_model)
        self.transformer = nn.Transformer(d_model, nhead, 2, 2, 64, 0.0, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def embed(self, emb, ids):
        return emb(ids) + self.pos(torch.arange(ids.shape[1], device=ids.device))

    def encode(self, src):
        src_pad = src == self.pad_id
        return self.transformer.encoder(self.embed(self.src_emb, src), src_key_padding_mask=src_pad), src_pad

    def decode(self, tgt, memory, src_pad):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.shape[0])  # BUG
        h = self.transformer.decoder(
            self.embed(self.tgt_emb, tgt), memory, tgt_mask=tgt_mask,  # BUG
            tgt_key_padding_mask=tgt == self.pad_id, memory_key_padding_mask=src_pad,
        )
        return self.generator(h)

    def forward(self, src, tgt):
        memory, src_pad = self.encode(src)
        return self.decode(tgt, memory, src_pad)

    @torch.no_grad()
    def generate(self, src, bos=1, eos=2, max_len=10):
        memory, src_pad = self.encode(src)
        ys = torch.full((src.shape[0], 1), bos, dtype=torch.long)
        for step in range(max_len - 1):
            logits = self.decode(ys, memory, src_pad)[:, -1]
            nxt = logits.argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
            if (nxt == eos).all():
                break
        return ys


def train_step(model, opt, src, tgt):
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=model.pad_id)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(3, 50, (6, 7))
    tgt = torch.randint(3, 50, (6, 9))
    print("loss:", train_step(model, opt, src, tgt))
    model.eval()
    print(model.generate(src).shape)
