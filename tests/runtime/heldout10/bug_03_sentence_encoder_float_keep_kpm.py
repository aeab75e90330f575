# EXPECT: bug the Hugging Face style attention_mask (1 = real token) is cast to float and passed as src_key_padding_mask to nn.TransformerEncoder, so in training it only adds +1 to real tokens (padding not masked) and in eval the encoder fast path reads nonzero as masked (real tokens masked, padding attended).
"""Sentence classifier in the style of sentence-transformers / a BERT-like nn.TransformerEncoder with mean pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderConfig:
    vocab_size = 60
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    intermediate_size = 64
    hidden_dropout_prob = 0.1
    max_position_embeddings = 32
    pad_token_id = 0
    num_labels = 3


class SentenceClassifier(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_norm = nn.LayerNorm(config.hidden_size)
        self.emb_drop = nn.Dropout(config.hidden_dropout_prob)
        layer = nn.TransformerEncoderLayer(
            d_model=config.hidden_size,
            nhead=config.num_attention_heads,
            dim_feedforward=config.intermediate_size,
            dropout=config.hidden_dropout_prob,
            activation="gelu",
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers=config.num_hidden_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1)).unsqueeze(0)
        x = self.emb_drop(self.emb_norm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        padding_mask = attention_mask.to(x.dtype)
        h = self.encoder(x, src_key_padding_mask=padding_mask)  # BUG-SITE
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


def make_batch(lengths, max_len, vocab):
    ids = torch.zeros(len(lengths), max_len, dtype=torch.long)
    mask = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab, (n,))
        mask[i, :n] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    cfg = EncoderConfig()
    model = SentenceClassifier(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
    ids, mask = make_batch([7, 4, 9, 2], 10, cfg.vocab_size)
    labels = torch.tensor([0, 2, 1, 1])
    model.train()
    loss = F.cross_entropy(model(ids, mask), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, mask2 = make_batch([5, 8, 3], 10, cfg.vocab_size)
        logits = model(ids2, mask2)
    return [loss.detach(), *grads, logits]
