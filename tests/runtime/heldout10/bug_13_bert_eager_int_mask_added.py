# EXPECT: bug the raw int64 attention_mask (1 = real token) is broadcast to (B, 1, 1, S) and added to the attention scores without conversion to an additive 0/-inf mask, so padding gets +0 instead of a large negative value and is attended.
"""BERT sequence classifier with a hand-written eager self-attention in the style of huggingface/transformers BertSelfAttention."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    vocab_size = 70
    hidden_size = 32
    num_hidden_layers = 2
    num_attention_heads = 4
    intermediate_size = 64
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    max_position_embeddings = 24
    num_labels = 2


class BertSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_attention_heads
        self.attention_head_size = config.hidden_size // config.num_attention_heads
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query = nn.Linear(config.hidden_size, self.all_head_size)
        self.key = nn.Linear(config.hidden_size, self.all_head_size)
        self.value = nn.Linear(config.hidden_size, self.all_head_size)
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def transpose_for_scores(self, x):
        new_x_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
        return x.view(new_x_shape).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        query_layer = self.transpose_for_scores(self.query(hidden_states))
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        attention_scores = torch.matmul(query_layer, key_layer.transpose(-1, -2))
        attention_scores = attention_scores / math.sqrt(self.attention_head_size)
        if attention_mask is not None:
            attention_scores = attention_scores + attention_mask  # BUG-SITE
        attention_probs = nn.functional.softmax(attention_scores, dim=-1)
        attention_probs = self.dropout(attention_probs)
        context_layer = torch.matmul(attention_probs, value_layer)
        context_layer = context_layer.permute(0, 2, 1, 3).contiguous()
        return context_layer.view(context_layer.size()[:-2] + (self.all_head_size,))


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = BertSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.attn_norm = nn.LayerNorm(config.hidden_size, eps=1e-12)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.out_norm = nn.LayerNorm(config.hidden_size, eps=1e-12)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, attention_mask):
        a = self.attention(hidden_states, attention_mask)
        h = self.attn_norm(hidden_states + self.dropout(self.attn_out(a)))
        return self.out_norm(h + self.dropout(self.output(F.gelu(self.intermediate(h)))))


class BertForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_norm = nn.LayerNorm(config.hidden_size, eps=1e-12)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layer = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])
        self.pooler = nn.Linear(config.hidden_size, config.hidden_size)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def get_extended_attention_mask(self, attention_mask):
        return attention_mask[:, None, None, :]

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1)).unsqueeze(0)
        h = self.dropout(self.emb_norm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        ext = self.get_extended_attention_mask(attention_mask)
        for layer in self.layer:
            h = layer(h, ext)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return self.classifier(self.dropout(pooled))


def encode(lengths, max_len=12, vocab=70):
    ids = torch.zeros(len(lengths), max_len, dtype=torch.long)
    mask = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, 0] = 1
        ids[i, 1:n] = torch.randint(3, vocab, (n - 1,))
        mask[i, :n] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    config = BertConfig()
    model = BertForSequenceClassification(config)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
    ids, mask = encode([12, 5, 8, 3])
    labels = torch.tensor([1, 0, 0, 1])
    model.train()
    loss = F.cross_entropy(model(ids, mask), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, mask2 = encode([4, 11, 7])
        probs = model(ids2, mask2).softmax(-1)
    return [loss.detach(), *grads, probs]
