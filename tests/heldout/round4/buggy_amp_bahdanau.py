"""Pointer-generator summariser: BiLSTM encoder, LSTM decoder with additive (Bahdanau)
attention over the source. Mixed-precision training with torch.amp."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AdditiveAttention(nn.Module):
    def __init__(self, enc_dim, dec_dim, attn_dim=256):
        super().__init__()
        self.W_h = nn.Linear(enc_dim, attn_dim, bias=False)
        self.W_s = nn.Linear(dec_dim, attn_dim)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, enc_out, dec_state, src_mask):
        # enc_out: (B, S, enc_dim); dec_state: (B, dec_dim); src_mask: (B, S) 1 = token
        e = self.v(torch.tanh(self.W_h(enc_out) + self.W_s(dec_state).unsqueeze(1))).squeeze(-1)
        e = e.masked_fill(src_mask == 0, -1e10)  # expect: ML205
        alpha = F.softmax(e, dim=-1)
        context = torch.bmm(alpha.unsqueeze(1), enc_out).squeeze(1)
        return context, alpha


class PointerGenerator(nn.Module):
    def __init__(self, vocab=50000, emb=128, hid=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.encoder = nn.LSTM(emb, hid, batch_first=True, bidirectional=True)
        self.decoder = nn.LSTMCell(emb + 2 * hid, hid)
        self.attn = AdditiveAttention(2 * hid, hid)
        self.p_gen = nn.Linear(2 * hid + hid + emb, 1)
        self.out = nn.Linear(3 * hid, vocab)
        self.hid = hid

    def forward(self, src, tgt_in):
        src_mask = (src != 0).long()
        enc_out, _ = self.encoder(self.embed(src))
        B = src.size(0)
        h = c = enc_out.new_zeros(B, self.hid)
        ctx = enc_out.new_zeros(B, 2 * self.hid)
        log_probs = []
        for t in range(tgt_in.size(1)):
            y = self.embed(tgt_in[:, t])
            h, c = self.decoder(torch.cat([y, ctx], -1), (h, c))
            ctx, alpha = self.attn(enc_out, h, src_mask)
            vocab_dist = F.softmax(self.out(torch.cat([h, ctx], -1)), -1)
            p = torch.sigmoid(self.p_gen(torch.cat([ctx, h, y], -1)))
            final = (p * vocab_dist).scatter_add(1, src, (1 - p) * alpha)
            log_probs.append(torch.log(final + 1e-12))
        return torch.stack(log_probs, 1)


def train(model, loader, epochs=1, device="cuda"):
    model.to(device)
    opt = torch.optim.Adagrad(model.parameters(), lr=0.15, initial_accumulator_value=0.1)
    scaler = torch.amp.GradScaler("cuda")
    for _ in range(epochs):
        for src, tgt in loader:
            src, tgt = src.to(device), tgt.to(device)
            with torch.autocast(device_type="cuda", dtype=torch.float16):
                logp = model(src, tgt[:, :-1])
                loss = F.nll_loss(logp.flatten(0, 1).float(), tgt[:, 1:].flatten(), ignore_index=0)
            opt.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
