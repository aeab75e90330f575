# EXPECT: ok bidirectional masked-LM encoder with no causal mask by design; the Hugging Face attention_mask (1 = keep) is passed to SDPA as attention_mask[:, None, None, :].bool(), which is the right polarity for SDPA (True = attend).
"""BERT masked-language-model pretraining in the style of huggingface/transformers BertSdpaSelfAttention (sdpa path) with DataCollatorForLanguageModeling-like masking."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS, SEP, MASK = 0, 1, 2, 3


class SdpaSelfAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.p = p

    def forward(self, x, attn_mask):
        B, T, D = x.shape
        q, k, v = (lin(x).view(B, T, self.h, D // self.h).transpose(1, 2) for lin in (self.query, self.key, self.value))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)
        return y.transpose(1, 2).reshape(B, T, D)


class BertLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.attention = SdpaSelfAttention(d, h, p)
        self.attn_out = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.ln2 = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        x = self.ln1(x + self.drop(self.attn_out(self.attention(x, mask))))
        return self.ln2(x + self.drop(self.ffn(x)))


class BertForMaskedLM(nn.Module):
    def __init__(self, vocab=60, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, d, padding_idx=PAD)
        self.position = nn.Embedding(24, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList([BertLayer(d, h, p) for _ in range(n)])
        self.transform = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d, eps=1e-12))
        self.decoder = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask):
        x = self.drop(self.ln(self.word(input_ids) + self.position(torch.arange(input_ids.size(1)))[None]))
        sdpa_mask = attention_mask[:, None, None, :].bool()
        for layer in self.layers:
            x = layer(x, sdpa_mask)
        return self.decoder(self.transform(x))


def encode(lengths, T=12, vocab=60):
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    am = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, 0] = CLS
        ids[i, 1:n - 1] = torch.randint(4, vocab, (n - 2,))
        ids[i, n - 1] = SEP
        am[i, :n] = 1
    return ids, am


def mask_tokens(ids, am, prob=0.3):
    special = (ids == CLS) | (ids == SEP) | (am == 0)
    sel = (torch.rand(ids.shape) < prob) & ~special
    sel[:, 1] = True
    labels = torch.where(sel, ids, torch.full_like(ids, -100))
    return ids.masked_fill(sel, MASK), labels


def run():
    torch.manual_seed(0)
    model = BertForMaskedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    ids, am = encode([12, 6, 9])
    inputs, labels = mask_tokens(ids, am)
    model.train()
    logits = model(inputs, am)
    loss = F.cross_entropy(logits.reshape(-1, 60), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, am2 = encode([5, 11])
        inp2, _ = mask_tokens(ids2, am2)
        pred = model(inp2, am2).softmax(-1)
    return [loss.detach(), *grads, pred]
