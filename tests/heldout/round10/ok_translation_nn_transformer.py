"""German->English translation with nn.Transformer (the classic torchtext tutorial layout, batch_first)."""
import math

import torch
import torch.nn as nn

PAD_IDX, BOS_IDX, EOS_IDX = 1, 2, 3


class TokenEmbedding(nn.Module):
    def __init__(self, vocab, d):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d, padding_idx=PAD_IDX)
        self.scale = math.sqrt(d)

    def forward(self, tokens):
        return self.embedding(tokens) * self.scale


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d=64, nhead=4, layers=2, max_len=100):
        super().__init__()
        self.transformer = nn.Transformer(d, nhead, layers, layers, 2 * d, 0.1, batch_first=True)
        self.src_tok, self.tgt_tok = TokenEmbedding(src_vocab, d), TokenEmbedding(tgt_vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.generator = nn.Linear(d, tgt_vocab)

    def _embed(self, emb, ids):
        return emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def encode(self, src, src_padding_mask):
        return self.transformer.encoder(self._embed(self.src_tok, src), src_key_padding_mask=src_padding_mask)

    def decode(self, tgt, memory, src_padding_mask):
        T = tgt.size(1)
        tgt_mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), diagonal=1)
        return self.transformer.decoder(self._embed(self.tgt_tok, tgt), memory, tgt_mask=tgt_mask,
                                        tgt_key_padding_mask=(tgt == PAD_IDX),
                                        memory_key_padding_mask=src_padding_mask)

    def forward(self, src, tgt_in):
        src_padding_mask = src == PAD_IDX
        memory = self.encode(src, src_padding_mask)
        return self.generator(self.decode(tgt_in, memory, src_padding_mask))


@torch.no_grad()
def greedy_decode(model, src, max_len=12):
    src_padding_mask = src == PAD_IDX
    memory = model.encode(src, src_padding_mask)
    ys = torch.full((src.size(0), 1), BOS_IDX, dtype=torch.long)
    for _ in range(max_len - 1):
        out = model.decode(ys, memory, src_padding_mask)
        nxt = model.generator(out[:, -1]).argmax(-1, keepdim=True)
        ys = torch.cat([ys, nxt], dim=1)
        if (nxt == EOS_IDX).all():
            break
    return ys


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(600, 500)
    src = torch.randint(4, 600, (3, 15))
    src[0, 9:], src[2, 12:] = PAD_IDX, PAD_IDX
    tgt = torch.randint(4, 500, (3, 11))
    tgt[:, 0] = BOS_IDX
    tgt[1, 7:] = PAD_IDX
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 500), tgt[:, 1:].reshape(-1), ignore_index=PAD_IDX)
    loss.backward()
    model.eval()
    print(loss.item(), greedy_decode(model, src).shape)
