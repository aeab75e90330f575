# EXPECT: bug
"""Code-summarisation seq2seq on nn.Transformer; both sides padded to MAX_LEN by the collator."""
import torch
import torch.nn as nn

MAX_LEN = 10
PAD_ID = 1


class Collator:
    def __init__(self, max_len=MAX_LEN, pad_id=PAD_ID):
        self.max_len, self.pad_id = max_len, pad_id

    def __call__(self, pairs):
        src = torch.full((len(pairs), self.max_len), self.pad_id)
        tgt = torch.full((len(pairs), self.max_len), self.pad_id)
        for i, (s, t) in enumerate(pairs):
            src[i, : len(s)] = torch.tensor(s[: self.max_len])
            tgt[i, : len(t)] = torch.tensor(t[: self.max_len])
        return {"src": src, "tgt": tgt, "src_mask": src != self.pad_id, "tgt_mask": tgt != self.pad_id}


class Summarizer(nn.Module):
    def __init__(self, vocab=64, d_model=32, nhead=4, num_layers=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD_ID)
        self.pos = nn.Embedding(MAX_LEN, d_model)
        self.model = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=num_layers,
                                    num_decoder_layers=num_layers, dim_feedforward=64, dropout=dropout,
                                    batch_first=True)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, batch):
        src, tgt = batch["src"], batch["tgt"]
        pos = torch.arange(MAX_LEN, device=src.device)
        s = self.embed(src) + self.pos(pos)
        t = self.embed(tgt) + self.pos(pos)
        causal = self.model.generate_square_subsequent_mask(MAX_LEN, device=src.device, dtype=torch.bool)
        src_pad, tgt_pad = ~batch["src_mask"], ~batch["tgt_mask"]
        h = self.model(s, t, tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=tgt_pad)  # BUG-SITE
        return self.lm_head(h)


def run():
    torch.manual_seed(0)
    collate = Collator()
    batch = collate([([5, 9, 13, 22, 7, 8, 30, 31, 2], [0, 40, 41, 42, 2]),
                     ([6, 7, 2], [0, 43, 44, 45, 46, 47, 48, 2]),
                     ([10, 11, 12, 13, 14, 2], [0, 50, 2])])
    model = Summarizer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    labels = torch.roll(batch["tgt"], -1, dims=1)
    labels[:, -1] = PAD_ID
    model.train()
    logits = model(batch)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 64), labels.reshape(-1), ignore_index=PAD_ID)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(batch)
    return [loss.detach(), ev]
