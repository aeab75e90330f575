# EXPECT: bug
"""A BERT-like sentence classifier built on nn.MultiheadAttention, fed tokenizer output."""
import torch
import torch.nn as nn


class TinyConfig:
    vocab_size = 100
    hidden_size = 32
    num_attention_heads = 4
    intermediate_size = 64
    num_hidden_layers = 2
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    max_position_embeddings = 32
    num_labels = 3
    pad_token_id = 0


class BertLikeLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = nn.MultiheadAttention(config.hidden_size, config.num_attention_heads,
                                               dropout=config.attention_probs_dropout_prob, batch_first=True)
        self.ln1 = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, attention_mask=None):
        key_padding_mask = attention_mask.bool() if attention_mask is not None else None
        attn_out, _ = self.attention(hidden_states, hidden_states, hidden_states, key_padding_mask=key_padding_mask, need_weights=False)  # BUG-SITE
        hidden_states = self.ln1(hidden_states + self.dropout(attn_out))
        return self.ln2(hidden_states + self.dropout(self.ffn(hidden_states)))


class BertLikeForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_ln = nn.LayerNorm(config.hidden_size)
        self.emb_drop = nn.Dropout(config.hidden_dropout_prob)
        self.layers = nn.ModuleList([BertLikeLayer(config) for _ in range(config.num_hidden_layers)])
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask=None, labels=None):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        h = self.emb_drop(self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        for layer in self.layers:
            h = layer(h, attention_mask)
        logits = self.classifier(h[:, 0])
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


def fake_tokenize(lengths, max_len, vocab):
    ids = torch.zeros(len(lengths), max_len, dtype=torch.long)
    am = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab, (n,))
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


def run():
    torch.manual_seed(0)
    config = TinyConfig()
    model = BertLikeForSequenceClassification(config)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    batch = fake_tokenize([12, 7, 9, 4], 12, config.vocab_size)
    batch["labels"] = torch.tensor([0, 2, 1, 1])
    model.train()
    out = model(**batch)
    opt.zero_grad()
    out["loss"].backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    return [out["loss"].detach(), ev["logits"]]
