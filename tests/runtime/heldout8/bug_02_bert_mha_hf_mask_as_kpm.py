# EXPECT: bug Hugging Face attention_mask (1 = keep) passed to nn.MultiheadAttention as key_padding_mask via .bool() without inversion; real tokens are ignored, padding attended
"""Hugging Face-style BERT sentence classifier built on nn.MultiheadAttention.

The tokenizer output follows the HF convention (input_ids, attention_mask with
1 for real tokens, 0 for padding).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    vocab_size = 60
    hidden_size = 32
    num_attention_heads = 4
    intermediate_size = 64
    num_hidden_layers = 2
    max_position_embeddings = 32
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    num_labels = 3
    pad_token_id = 0
    layer_norm_eps = 1e-12


class BertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(2, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)[None]
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(e))


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = nn.MultiheadAttention(config.hidden_size, config.num_attention_heads,
                                               dropout=config.attention_probs_dropout_prob, batch_first=True)
        self.attn_dropout = nn.Dropout(config.hidden_dropout_prob)
        self.attn_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.out_dropout = nn.Dropout(config.hidden_dropout_prob)
        self.out_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden_states, key_padding_mask):
        attn_out, _ = self.attention(hidden_states, hidden_states, hidden_states, key_padding_mask=key_padding_mask, need_weights=False)  # BUG-SITE
        h = self.attn_norm(hidden_states + self.attn_dropout(attn_out))
        ff = self.output(F.gelu(self.intermediate(h)))
        return self.out_norm(h + self.out_dropout(ff))


class BertForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embeddings = BertEmbeddings(config)
        self.layers = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])
        self.pooler = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        h = self.embeddings(input_ids, token_type_ids)
        # nn.MultiheadAttention wants a boolean mask
        key_padding_mask = attention_mask.bool()
        for layer in self.layers:
            h = layer(h, key_padding_mask)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        logits = self.classifier(self.dropout(pooled))
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return logits, loss


def tokenize(batch_lengths, vocab_size, pad_id=0, cls_id=1, sep_id=2, pad_to_multiple_of=4):
    max_len = max(batch_lengths)
    max_len = -(-max_len // pad_to_multiple_of) * pad_to_multiple_of
    input_ids = torch.full((len(batch_lengths), max_len), pad_id, dtype=torch.long)
    attention_mask = torch.zeros(len(batch_lengths), max_len, dtype=torch.long)
    for i, n in enumerate(batch_lengths):
        body = torch.randint(3, vocab_size, (n - 2,))
        input_ids[i, :n] = torch.cat([torch.tensor([cls_id]), body, torch.tensor([sep_id])])
        attention_mask[i, :n] = 1
    return input_ids, attention_mask


def run():
    torch.manual_seed(0)
    config = BertConfig()
    model = BertForSequenceClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)

    # dynamic padding, rounded up to a multiple of 4 like tokenizer(pad_to_multiple_of=4)
    input_ids, attention_mask = tokenize([7, 11, 5, 9], config.vocab_size)
    labels = torch.tensor([0, 2, 1, 2])

    model.train()
    _, loss = model(input_ids, attention_mask, labels=labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_ids, eval_mask = tokenize([6, 10, 8], config.vocab_size)
        logits, _ = model(eval_ids, eval_mask)
        probs = logits.softmax(-1)
    return [loss.detach(), *grads, logits, probs]
