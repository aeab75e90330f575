"""Autoregressive decoder over an encoded context (sequence-first tensors)."""
import torch
import torch.nn as nn


class CausalDecoderModel(nn.Module):
    def __init__(self, vocab_size=40, hdim=32, nhead=4, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hdim)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(hdim, nhead, 64), num_layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(hdim, nhead, 64), num_layers)
        self.to_vocab = nn.Linear(hdim, vocab_size)

    def forward(self, src, tgt):
        memory = self.encoder(self.embedding(src))
        tgt_emb = self.embedding(tgt)
        output = self.decoder(tgt_emb, memory)  # BUG
        return self.to_vocab(output)

    @torch.no_grad()
    def greedy(self, src, bos, steps):
        memory = self.encoder(self.embedding(src))
        ys = torch.full((1, src.size(1)), bos, dtype=torch.long)
        for _ in range(steps):
            sz = ys.size(0)
            mask = nn.Transformer.generate_square_subsequent_mask(sz)
            out = self.decoder(self.embedding(ys), memory, tgt_mask=mask)
            nxt = self.to_vocab(out[-1]).argmax(-1, keepdim=True).t()
            ys = torch.cat([ys, nxt], dim=0)
        return ys


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CausalDecoderModel()
    src = torch.randint(0, 40, (7, 3))
    tgt = torch.randint(0, 40, (6, 3))
    logits = model(src, tgt[:-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 40), tgt[1:].reshape(-1))
    loss.backward()
    model.eval()
    print(loss.item(), model.greedy(src, bos=1, steps=4).shape)
