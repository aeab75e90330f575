# EXPECT: bug the tokenizer attention_mask (1 = keep) is passed as nn.MultiheadAttention key_padding_mask (True = ignore), so every real token is ignored and only padding is attended.
"""Imitates a sentence-transformers / Hugging Face Trainer style text classifier
whose encoder is built from nn.MultiheadAttention blocks; the batch comes from a
tokenizer called with padding="max_length" (so every row ends in padding)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LENGTH = 12
PAD_ID = 0


def tokenize_batch(texts, max_length=MAX_LENGTH):
    """Mimics tokenizer(texts, padding="max_length", truncation=True, return_tensors="pt")."""
    input_ids = torch.full((len(texts), max_length), PAD_ID, dtype=torch.long)
    attention_mask = torch.zeros((len(texts), max_length), dtype=torch.long)
    for i, ids in enumerate(texts):
        ids = ids[:max_length]
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention_mask[i, : len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


class EncoderBlock(nn.Module):
    def __init__(self, d_model, nhead, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * d_model, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, attention_mask):
        h = self.norm1(x)
        attn_out, _ = self.self_attn(
            h, h, h, key_padding_mask=attention_mask.bool(), need_weights=False  # BUG-SITE
        )
        x = x + attn_out
        return x + self.ff(self.norm2(x))


class TextClassifier(nn.Module):
    def __init__(self, vocab=30, d_model=32, nhead=4, layers=2, num_labels=2, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD_ID)
        self.pos = nn.Parameter(torch.randn(MAX_LENGTH, d_model) * 0.02)
        self.blocks = nn.ModuleList([EncoderBlock(d_model, nhead, dropout) for _ in range(layers)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids) + self.pos[: input_ids.size(1)]
        for blk in self.blocks:
            x = blk(x, attention_mask)
        x = self.norm(x)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)  # mean pooling over real tokens
        return self.head(pooled)


def run():
    torch.manual_seed(0)
    model = TextClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(3)
    texts = [torch.randint(1, 30, (n,), generator=g).tolist() for n in (9, 4, 11, 6)]
    batch = tokenize_batch(texts)
    labels = torch.tensor([1, 0, 1, 0])

    model.train()
    loss = F.cross_entropy(model(**batch), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        eval_texts = [torch.randint(1, 30, (n,), generator=g).tolist() for n in (5, 10, 7)]
        probs = model(**tokenize_batch(eval_texts)).softmax(-1)
    return [loss.detach(), *grads, probs]
