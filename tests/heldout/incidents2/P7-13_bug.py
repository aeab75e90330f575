import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BertSelfAttention(nn.Module):
    def __init__(self, hidden_size=768, num_attention_heads=12, dropout=0.1):
        super().__init__()
        self.h = num_attention_heads
        self.d = hidden_size // num_attention_heads
        self.query = nn.Linear(hidden_size, hidden_size)
        self.key = nn.Linear(hidden_size, hidden_size)
        self.value = nn.Linear(hidden_size, hidden_size)
        self.dropout = nn.Dropout(dropout)

    def forward(self, hidden_states, attention_mask):
        B, L, C = hidden_states.shape
        q = self.query(hidden_states).view(B, L, self.h, self.d).transpose(1, 2)
        k = self.key(hidden_states).view(B, L, self.h, self.d).transpose(1, 2)
        v = self.value(hidden_states).view(B, L, self.h, self.d).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        scores = scores.masked_fill(attention_mask[:, None, None, :] == 0, -1e10)  # BUG: -1e10 overflows fp16 under autocast
        probs = self.dropout(F.softmax(scores, dim=-1))
        return torch.matmul(probs, v).transpose(1, 2).reshape(B, L, C)


class BertEncoder(nn.Module):
    def __init__(self, vocab=30522, hidden=768, layers=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.attn = nn.ModuleList([BertSelfAttention(hidden) for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(layers)])
        self.cls = nn.Linear(hidden, 2)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for attn, norm in zip(self.attn, self.norms):
            x = norm(x + attn(x, attention_mask))
        return self.cls(x[:, 0])


def train_step(model, batch, optimizer, scaler):
    input_ids, attention_mask, labels = batch
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        loss = F.cross_entropy(model(input_ids, attention_mask), labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad()
    return loss.item()


if __name__ == "__main__":
    model = BertEncoder().cuda()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scaler = torch.cuda.amp.GradScaler()
    ids = torch.randint(0, 30522, (8, 64)).cuda()
    am = torch.ones_like(ids)
    am[:, 50:] = 0
    print(train_step(model, (ids, am, torch.randint(0, 2, (8,)).cuda()), opt, scaler))
