# EXPECT: clean
"""RoBERTa-style sentence-pair classifier on nn.MultiheadAttention. The HF
tokenizer's attention_mask (1 = keep) is correctly inverted into a
key_padding_mask (True = ignore) with ~attention_mask.bool().
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RobertaConfig:
    vocab_size = 60
    hidden_size = 32
    num_attention_heads = 4
    intermediate_size = 64
    num_hidden_layers = 2
    max_position_embeddings = 40
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    num_labels = 3
    pad_token_id = 1


class RobertaLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = nn.MultiheadAttention(config.hidden_size, config.num_attention_heads,
                                               dropout=config.attention_probs_dropout_prob, batch_first=True)
        self.attn_norm = nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ffn_norm = nn.LayerNorm(config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, key_padding_mask):
        attn_out, _ = self.attention(hidden_states, hidden_states, hidden_states,
                                     key_padding_mask=key_padding_mask, need_weights=False)
        h = self.attn_norm(hidden_states + self.dropout(attn_out))
        return self.ffn_norm(h + self.dropout(self.ffn(h)))


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size,
                                                padding_idx=config.pad_token_id)
        self.emb_norm = nn.LayerNorm(config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layers = nn.ModuleList([RobertaLayer(config) for _ in range(config.num_hidden_layers)])
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.out_proj = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask, labels=None):
        # RoBERTa positions start after padding_idx and skip pads
        position_ids = (torch.cumsum(attention_mask, dim=1) * attention_mask) + self.config.pad_token_id
        h = self.dropout(self.emb_norm(self.word_embeddings(input_ids) + self.position_embeddings(position_ids)))
        key_padding_mask = ~attention_mask.bool()
        for layer in self.layers:
            h = layer(h, key_padding_mask)
        x = self.dropout(h[:, 0])
        logits = self.out_proj(self.dropout(torch.tanh(self.dense(x))))
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return logits, loss


def tokenize_pairs(pairs, vocab_size, pad_id=1, bos=0, sep=2):
    seqs = []
    for a, b in pairs:
        seqs.append([bos] + torch.randint(3, vocab_size, (a,)).tolist() + [sep, sep]
                    + torch.randint(3, vocab_size, (b,)).tolist() + [sep])
    T = max(len(s) for s in seqs)
    input_ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    attention_mask = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        input_ids[i, :len(s)] = torch.tensor(s)
        attention_mask[i, :len(s)] = 1
    return input_ids, attention_mask


def run():
    torch.manual_seed(0)
    config = RobertaConfig()
    model = RobertaForSequenceClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
    input_ids, attention_mask = tokenize_pairs([(5, 6), (3, 2), (6, 8), (2, 4)], config.vocab_size)
    labels = torch.tensor([2, 0, 1, 1])

    model.train()
    _, loss = model(input_ids, attention_mask, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        logits, _ = model(input_ids, attention_mask)
    return [loss.detach(), *grads, logits]
