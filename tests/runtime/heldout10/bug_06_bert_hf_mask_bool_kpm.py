# EXPECT: bug the Hugging Face attention_mask (1 = real token) is converted with .bool() and passed as src_key_padding_mask (True = ignore), so real tokens are masked and only padding positions are attended.
"""BERT-style token classifier (NER) with a Hugging Face style config, built on nn.TransformerEncoderLayer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BertConfig:
    def __init__(self, vocab_size=80, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=64, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
                 max_position_embeddings=32, type_vocab_size=2, layer_norm_eps=1e-12, num_labels=5):
        self.__dict__.update(locals())
        del self.__dict__["self"]


class BertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.size(1)).unsqueeze(0)
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(e))


class BertForTokenClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embeddings = BertEmbeddings(config)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads, config.intermediate_size,
                                       dropout=config.hidden_dropout_prob, activation="gelu",
                                       layer_norm_eps=config.layer_norm_eps, batch_first=True)
            for _ in range(config.num_hidden_layers)
        ])
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        hidden = self.embeddings(input_ids, token_type_ids)
        key_padding_mask = attention_mask.bool()
        for layer in self.layers:
            hidden = layer(hidden, src_key_padding_mask=key_padding_mask)  # BUG-SITE
        logits = self.classifier(self.dropout(hidden))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        return loss, logits


def tokenize(lengths, max_length=12, vocab=80, num_labels=5):
    ids = torch.zeros(len(lengths), max_length, dtype=torch.long)
    mask = torch.zeros(len(lengths), max_length, dtype=torch.long)
    labels = torch.full((len(lengths), max_length), -100)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab, (n,))
        mask[i, :n] = 1
        labels[i, :n] = torch.randint(0, num_labels, (n,))
    return ids, mask, labels


def run():
    torch.manual_seed(0)
    config = BertConfig()
    model = BertForTokenClassification(config)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
    ids, mask, labels = tokenize([9, 5, 11, 3])
    model.train()
    loss, _ = model(ids, mask, labels=labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, mask2, _ = tokenize([6, 10, 2])
        _, logits = model(ids2, mask2)
    return [loss.detach(), *grads, logits]
