# EXPECT: clean
"""Imitates BERT masked-language-model pretraining (DataCollatorForLanguageModeling
80/10/10 masking) on nn.TransformerEncoder: bidirectional by design, so no causal
mask; the only mask is src_key_padding_mask = (attention_mask == 0). In eval the
encoder may take the nested-tensor fast path, which zeroes padded positions."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS, SEP, MASK = 0, 1, 2, 3
VOCAB = 48


def mlm_collate(g, lengths, mlm_probability=0.3):
    T = max(lengths) + 2
    input_ids = torch.full((len(lengths), T), PAD, dtype=torch.long)
    attention_mask = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        input_ids[i, 0], input_ids[i, n + 1] = CLS, SEP
        input_ids[i, 1 : n + 1] = torch.randint(4, VOCAB, (n,), generator=g)
        attention_mask[i, : n + 2] = 1
    labels = input_ids.clone()
    special = (input_ids == PAD) | (input_ids == CLS) | (input_ids == SEP)
    prob = torch.full(labels.shape, mlm_probability).masked_fill(special, 0.0)
    masked = torch.bernoulli(prob, generator=g).bool()
    masked[:, 1] |= ~special[:, 1]  # at least one masked token per row
    labels[~masked] = -100
    replace = torch.bernoulli(torch.full(labels.shape, 0.8), generator=g).bool() & masked
    input_ids[replace] = MASK
    rand = torch.bernoulli(torch.full(labels.shape, 0.5), generator=g).bool() & masked & ~replace
    input_ids[rand] = torch.randint(4, VOCAB, labels.shape, generator=g)[rand]
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


class BertForMaskedLM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.position_embeddings = nn.Embedding(16, d)
        self.emb_norm = nn.LayerNorm(d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.transform = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d))
        self.decoder_bias = nn.Parameter(torch.zeros(VOCAB))

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids) + self.position_embeddings(torch.arange(input_ids.size(1)))
        x = self.emb_norm(x)
        h = self.encoder(x, src_key_padding_mask=attention_mask == 0)
        return self.transform(h) @ self.word_embeddings.weight.t() + self.decoder_bias


def run():
    torch.manual_seed(0)
    model = BertForMaskedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(157)
    batch = mlm_collate(g, [10, 5, 8, 3])

    model.train()
    logits = model(batch["input_ids"], batch["attention_mask"])
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), batch["labels"].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev = mlm_collate(g, [6, 11, 4])
        ev_logits = model(ev["input_ids"], ev["attention_mask"])
        fill = ev_logits.argmax(-1).masked_fill(ev["labels"] == -100, -1)
        ev_logits = ev_logits * ev["attention_mask"].unsqueeze(-1)
    return [loss.detach(), *grads, ev_logits, fill]
