# EXPECT: bug the additive extended attention mask is built as attention_mask * finfo.min (the `1.0 -` is missing), so real tokens get a huge negative bias and padding tokens are the only ones attended.
"""Imitates Hugging Face transformers' BERT (modeling_bert.BertSelfAttention with
ModuleUtilsMixin.get_extended_attention_mask): a hand-written matmul attention
that adds a broadcast [B, 1, 1, S] additive mask to the scores, with a small
sequence-classification head and a tokenizer-style collate (right padding)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    vocab_size = 40
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    intermediate_size = 64
    max_position_embeddings = 16
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    num_labels = 3
    pad_token_id = 0


def get_extended_attention_mask(attention_mask, dtype):
    # attention_mask: [B, S], 1 = real token, 0 = padding (tokenizer convention)
    extended_attention_mask = attention_mask[:, None, None, :]
    extended_attention_mask = extended_attention_mask.to(dtype=dtype)
    extended_attention_mask = extended_attention_mask * torch.finfo(dtype).min
    return extended_attention_mask


class BertSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_attention_heads
        self.attention_head_size = config.hidden_size // config.num_attention_heads
        self.all_head_size = config.hidden_size
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
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.ln2 = nn.LayerNorm(config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, attention_mask):
        a = self.attention(hidden_states, attention_mask)
        hidden_states = self.ln1(hidden_states + self.dropout(self.attn_out(a)))
        h = self.output(F.gelu(self.intermediate(hidden_states)))
        return self.ln2(hidden_states + self.dropout(h))


class BertForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_ln = nn.LayerNorm(config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layers = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])
        self.pooler = nn.Linear(config.hidden_size, config.hidden_size)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1)).unsqueeze(0)
        h = self.dropout(self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, ext)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return self.classifier(self.dropout(pooled))


def collate(samples, pad_id=0):
    max_len = max(len(s) for s in samples)
    input_ids = torch.full((len(samples), max_len), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(samples), max_len), dtype=torch.long)
    for i, s in enumerate(samples):
        input_ids[i, : len(s)] = torch.tensor(s)
        attention_mask[i, : len(s)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


def make_samples(g, lengths, vocab):
    # token 1 plays the role of [CLS]
    return [[1] + torch.randint(2, vocab, (n - 1,), generator=g).tolist() for n in lengths]


def run():
    torch.manual_seed(0)
    config = BertConfig()
    model = BertForSequenceClassification(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    batch = collate(make_samples(g, [12, 7, 9, 5], config.vocab_size))
    labels = torch.tensor([0, 2, 1, 2])

    model.train()
    logits = model(**batch)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        eval_batch = collate(make_samples(g, [6, 11, 8], config.vocab_size))
        eval_logits = model(**eval_batch)
    return [loss.detach(), *grads, eval_logits]
