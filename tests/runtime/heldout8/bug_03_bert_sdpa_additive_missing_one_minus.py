# EXPECT: bug extended additive attention mask built as attention_mask * finfo.min (missing "1 -"), so real tokens get -inf-like bias and padding is attended (SDPA)
"""Hugging Face-style BERT token classifier (NER) with an SDPA self-attention.

get_extended_attention_mask() turns the (batch, seq) 0/1 mask into a
(batch, 1, 1, seq) additive bias.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 50
    hidden_size = 48
    num_attention_heads = 4
    intermediate_size = 96
    num_hidden_layers = 2
    max_position_embeddings = 32
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    num_labels = 5
    layer_norm_eps = 1e-12


def get_extended_attention_mask(attention_mask, dtype):
    extended_attention_mask = attention_mask[:, None, None, :].to(dtype=dtype)
    extended_attention_mask = extended_attention_mask * torch.finfo(dtype).min
    return extended_attention_mask


class BertSdpaSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_attention_heads
        self.attention_head_size = config.hidden_size // config.num_attention_heads
        self.all_head_size = config.hidden_size
        self.query = nn.Linear(config.hidden_size, self.all_head_size)
        self.key = nn.Linear(config.hidden_size, self.all_head_size)
        self.value = nn.Linear(config.hidden_size, self.all_head_size)
        self.dropout_prob = config.attention_probs_dropout_prob

    def transpose_for_scores(self, x):
        new_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
        return x.view(new_shape).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        bsz, tgt_len, _ = hidden_states.size()
        query_layer = self.transpose_for_scores(self.query(hidden_states))
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        attn_output = F.scaled_dot_product_attention(  # BUG-SITE
            query_layer,
            key_layer,
            value_layer,
            attn_mask=attention_mask,
            dropout_p=self.dropout_prob if self.training else 0.0,
        )
        attn_output = attn_output.transpose(1, 2).reshape(bsz, tgt_len, self.all_head_size)
        return attn_output


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self = BertSdpaSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.attn_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.out_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, attention_mask):
        a = self.self(hidden_states, attention_mask)
        h = self.attn_ln(hidden_states + self.dropout(self.attn_out(a)))
        return self.out_ln(h + self.dropout(self.output(F.gelu(self.intermediate(h)))))


class BertForTokenClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layer = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask, labels=None):
        pos = torch.arange(input_ids.size(1))[None]
        h = self.dropout(self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layer:
            h = layer(h, ext)
        logits = self.classifier(self.dropout(h))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        return logits, loss


def collate(lengths, vocab_size, num_labels):
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    mask = torch.zeros(len(lengths), T, dtype=torch.long)
    labels = torch.full((len(lengths), T), -100, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab_size, (n,))
        mask[i, :n] = 1
        labels[i, :n] = torch.randint(0, num_labels, (n,))
    return ids, mask, labels


def run():
    torch.manual_seed(0)
    config = Config()
    model = BertForTokenClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    ids, mask, labels = collate([10, 6, 8], config.vocab_size, config.num_labels)

    model.train()
    _, loss = model(ids, mask, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        logits, _ = model(ids, mask)
        preds = logits.argmax(-1).masked_fill(mask == 0, -1)
    return [loss.detach(), *grads, logits, preds]
