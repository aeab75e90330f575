"""Cross-encoder re-ranker: BERT-style embeddings, PyTorch MultiheadAttention layers.

Inputs come from a Hugging Face tokenizer (input_ids, token_type_ids, attention_mask).
"""
import torch
import torch.nn as nn


class RerankLayer(nn.Module):
    def __init__(self, hidden=384, heads=12, inter=1536, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(hidden, heads, dropout=p, batch_first=True)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(hidden, inter), nn.GELU(), nn.Linear(inter, hidden))
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, h, attention_mask):
        # BERT-style extended mask: (batch, 1, 1, seq)
        extended = attention_mask.unsqueeze(1).unsqueeze(2)
        a, _ = self.attn(
            h, h, h,
            attn_mask=(extended == 0),  # expect: ML301
            need_weights=False,
        )
        h = self.ln1(h + self.drop(a))
        return self.ln2(h + self.drop(self.ffn(h)))


class CrossEncoder(nn.Module):
    def __init__(self, vocab_size=30522, hidden=384, layers=6, heads=12, max_pos=512):
        super().__init__()
        self.word = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.pos = nn.Embedding(max_pos, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.emb_ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(RerankLayer(hidden, heads) for _ in range(layers))
        self.score = nn.Linear(hidden, 1)

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.emb_ln(self.word(input_ids) + self.pos(pos) + self.token_type(token_type_ids))
        for layer in self.layers:
            h = layer(h, attention_mask)
        return self.score(h[:, 0]).squeeze(-1)


def rerank(model, tokenizer, query, passages, batch_size=16):
    scores = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(passages), batch_size):
            enc = tokenizer([query] * len(passages[i:i + batch_size]), passages[i:i + batch_size],
                            padding=True, truncation=True, max_length=256, return_tensors="pt")
            scores.extend(model(enc["input_ids"], enc["token_type_ids"], enc["attention_mask"]).tolist())
    return sorted(zip(passages, scores), key=lambda t: -t[1])
