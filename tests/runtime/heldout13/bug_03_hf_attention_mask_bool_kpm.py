# EXPECT: bug
"""Sentence classifier fed tokenizer-style dict batches.  The Hugging Face
attention_mask (1 = real token) is passed to nn.TransformerEncoder as
src_key_padding_mask after .bool(): PyTorch reads True as padding, so real
tokens are hidden and padding is attended."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


def collate(sentences):
    L = max(len(s) for s in sentences)
    ids = torch.full((len(sentences), L), PAD_ID, dtype=torch.long)
    att = torch.zeros((len(sentences), L), dtype=torch.long)
    for i, s in enumerate(sentences):
        ids[i, : len(s)] = torch.tensor(s)
        att[i, : len(s)] = 1
    return {"input_ids": ids, "attention_mask": att}


class Classifier(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4, n_cls=3, dropout=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD_ID)
        layer = nn.TransformerEncoderLayer(d, heads, 64, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, n_cls)

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids)
        h = self.encoder(h, src_key_padding_mask=attention_mask.bool())  # BUG-SITE
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1)
        return self.head(pooled)


def run():
    torch.manual_seed(2)
    g = torch.Generator().manual_seed(7)
    lengths = [9, 4, 9, 6, 2, 9]
    sents = [torch.randint(1, 100, (n,), generator=g).tolist() for n in lengths]
    batch = collate(sents)
    labels = torch.tensor([0, 2, 1, 1, 0, 2])
    model = Classifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits = model(**batch)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    g_head = model.head.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        probs = model(**batch).softmax(-1)
    return [loss.detach(), g_head, probs]
