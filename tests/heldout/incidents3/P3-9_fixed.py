import torch
import torch.nn as nn
import torch.nn.functional as F


class UtteranceEncoder(nn.Module):
    """BiGRU over word embeddings followed by a learned-query attention pooling."""

    def __init__(self, vocab_size: int, emb_dim: int = 64, hidden: int = 64, num_heads: int = 4, n_intents: int = 10):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
        self.rnn = nn.GRU(emb_dim, hidden // 2, bidirectional=True, batch_first=True)
        self.query = nn.Parameter(torch.randn(1, 1, hidden) * 0.02)
        self.pool = nn.MultiheadAttention(hidden, num_heads, batch_first=True)
        self.classifier = nn.Linear(hidden, n_intents)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        # input_ids: (B, S)
        x = self.emb(input_ids)
        states, _ = self.rnn(x)
        q = self.query.expand(input_ids.size(0), -1, -1)
        pooled, _ = self.pool(q, states, states, key_padding_mask=attention_mask == 0)
        return self.classifier(pooled.squeeze(1))


def training_step(model: nn.Module, batch: dict, optimizer: torch.optim.Optimizer) -> float:
    model.train()
    logits = model(batch["input_ids"], batch["attention_mask"])
    loss = F.cross_entropy(logits, batch["intent"])
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
