"""Contract clause classifier fed by a tokenizer that returns input_ids / attention_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLAUSES = ["termination", "indemnity", "confidentiality", "governing_law", "other"]


class ClauseLayer(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)
        self.ln = nn.LayerNorm(hidden)

    def split(self, x):
        B, S, H = x.shape
        return x.view(B, S, self.heads, H // self.heads).transpose(1, 2)

    def forward(self, hidden_states, attention_mask):
        q, k, v = self.split(self.query(hidden_states)), self.split(self.key(hidden_states)), self.split(self.value(hidden_states))
        mask = attention_mask.unsqueeze(1).unsqueeze(2) == 0
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG: (attention_mask == 0) marks padding; SDPA attends True
        ctx = ctx.transpose(1, 2).reshape(hidden_states.shape)
        return self.ln(hidden_states + self.dense(ctx))


class ClauseClassifier(nn.Module):
    def __init__(self, vocab=2000, hidden=32, heads=4, layers=2):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.layers = nn.ModuleList(ClauseLayer(hidden, heads) for _ in range(layers))
        self.classifier = nn.Linear(hidden, len(CLAUSES))

    def forward(self, input_ids, attention_mask):
        h = self.embeddings(input_ids)
        for layer in self.layers:
            h = layer(h, attention_mask)
        return self.classifier(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    input_ids = torch.randint(1, 2000, (3, 16))
    attention_mask = torch.ones(3, 16, dtype=torch.long)
    attention_mask[1, 10:] = 0
    attention_mask[2, 5:] = 0
    input_ids = input_ids * attention_mask
    logits = ClauseClassifier()(input_ids, attention_mask)
    print("probs", [round(p, 4) for p in logits.softmax(-1).max(-1).values.tolist()])
