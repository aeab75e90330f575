# EXPECT: ok the Hugging Face int attention_mask (1 = keep) is converted with attention_mask == 0 into a bool key_padding_mask (True = ignore) for nn.MultiheadAttention in a hand-rolled encoder stack, so the polarity flip is intended.
"""DistilBERT-like question-answering span model with nn.MultiheadAttention layers, fed Hugging Face tokenizer outputs (input_ids, attention_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerBlock(nn.Module):
    def __init__(self, dim, n_heads, hidden_dim, dropout, attention_dropout):
        super().__init__()
        self.attention = nn.MultiheadAttention(dim, n_heads, dropout=attention_dropout, batch_first=True)
        self.sa_layer_norm = nn.LayerNorm(dim, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, dim), nn.Dropout(dropout))
        self.output_layer_norm = nn.LayerNorm(dim, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, key_padding_mask):
        sa, _ = self.attention(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)
        x = self.sa_layer_norm(x + self.dropout(sa))
        return self.output_layer_norm(x + self.ffn(x))


class DistilBertForQuestionAnswering(nn.Module):
    def __init__(self, vocab_size=70, dim=32, n_heads=4, n_layers=2, hidden_dim=64, dropout=0.1, max_position_embeddings=24):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_position_embeddings, dim)
        self.LayerNorm = nn.LayerNorm(dim, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layer = nn.ModuleList([TransformerBlock(dim, n_heads, hidden_dim, dropout, 0.1) for _ in range(n_layers)])
        self.qa_outputs = nn.Linear(dim, 2)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1))[None]
        x = self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        key_padding_mask = attention_mask == 0
        for blk in self.layer:
            x = blk(x, key_padding_mask)
        start_logits, end_logits = self.qa_outputs(self.dropout(x)).unbind(-1)
        neg = torch.finfo(start_logits.dtype).min
        start_logits = start_logits.masked_fill(key_padding_mask, neg)
        end_logits = end_logits.masked_fill(key_padding_mask, neg)
        return start_logits, end_logits


def tokenize(lengths, T=14):
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    am = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, 70, (n,))
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


def run():
    torch.manual_seed(0)
    model = DistilBertForQuestionAnswering()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
    enc = tokenize([14, 9, 11])
    start_positions = torch.tensor([3, 5, 8])
    end_positions = torch.tensor([6, 7, 10])
    model.train()
    s, e = model(**enc)
    loss = (F.cross_entropy(s, start_positions) + F.cross_entropy(e, end_positions)) / 2
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        s2, e2 = model(**tokenize([6, 13]))
    return [loss.detach(), *grads, s2.softmax(-1), e2.softmax(-1)]
