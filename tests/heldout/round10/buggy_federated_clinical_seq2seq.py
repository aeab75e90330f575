"""Federated (FedAvg) training of a clinical-note normaliser: seq2seq transformer on each hospital client."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class NoteNormaliser(nn.Module):
    def __init__(self, vocab=1200, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(256, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1, batch_first=True), layers)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, 2 * d, 0.1, batch_first=True), layers)
        self.out = nn.Linear(d, vocab)

    def embed(self, ids):
        return self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src, tgt_in):
        src_pad = src.eq(PAD)
        tgt_pad = tgt_in.eq(PAD)
        tgt_pad = torch.zeros(tgt_pad.shape, device=src.device).masked_fill(tgt_pad, float("-inf"))
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1), device=src.device)
        memory = self.encoder(self.embed(src), src_key_padding_mask=src_pad)
        h = self.decoder(self.embed(tgt_in), memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad)  # expect: ML502
        return self.out(h)


def local_update(global_model, loader, epochs=1, lr=1e-3):
    model = copy.deepcopy(global_model).train()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for src, tgt in loader:
            logits = model(src, tgt[:, :-1])
            loss = F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=PAD)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.state_dict(), sum(s.size(0) for s, _ in loader), loss.item()


def fedavg(states, weights):
    total = float(sum(weights))
    return {k: sum(s[k].float() * (w / total) for s, w in zip(states, weights)) for k in states[0]}


def fake_client(n_batches, bsz=4, vocab=1200):
    data = []
    for _ in range(n_batches):
        src = torch.randint(3, vocab, (bsz, 20))
        src[torch.arange(bsz), torch.randint(8, 20, (bsz,))] = EOS
        src = torch.where(torch.cumsum(src.eq(EOS), 1) > 0, torch.where(src.eq(EOS), src, PAD), src)
        tgt = torch.randint(3, vocab, (bsz, 12))
        tgt[:, 0] = BOS
        tgt[:, -1] = EOS
        data.append((src, tgt))
    return data


if __name__ == "__main__":
    torch.manual_seed(0)
    global_model = NoteNormaliser()
    clients = [fake_client(2), fake_client(3), fake_client(1)]
    for rnd in range(2):
        results = [local_update(global_model, c) for c in clients]
        global_model.load_state_dict(fedavg([r[0] for r in results], [r[1] for r in results]))
        print("round", rnd, [round(r[2], 3) for r in results])
