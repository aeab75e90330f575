import math

import torch
import torch.nn as nn


class ChatBotTransformer(nn.Module):
    def __init__(self, vocab_size=60, d_model=32, nhead=4, num_layers=2, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, dim_feedforward=64, dropout=0.0)
        self.fc_out = nn.Linear(d_model, vocab_size)
        self.scale = math.sqrt(d_model)

    def forward(self, src, tgt):
        # src: (S, N) question tokens; tgt: (T, N) answer tokens shifted right
        src_emb = self.embedding(src) * self.scale
        tgt_emb = self.embedding(tgt) * self.scale
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0)).to(tgt.device)
        out = self.transformer(
            src_emb, tgt_emb, tgt_mask=tgt_mask,
            src_key_padding_mask=(src == self.pad_idx).T, tgt_key_padding_mask=(tgt == self.pad_idx).T,
            memory_key_padding_mask=(src == self.pad_idx).T,
        )
        return self.fc_out(out)


def train_step(model, optimizer, criterion, src, tgt):
    optimizer.zero_grad()
    logits = model(src, tgt[:-1])
    loss = criterion(logits.reshape(-1, logits.size(-1)), tgt[1:].reshape(-1))
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChatBotTransformer()
    criterion = nn.CrossEntropyLoss(ignore_index=0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(1, 60, (7, 8))
    tgt = torch.randint(1, 60, (6, 8))
    for _ in range(3):
        loss = train_step(model, optimizer, criterion, src, tgt)
    print("loss:", round(loss, 3))
    model.eval()
    with torch.no_grad():
        a = model(src, tgt[:-1])
        t2 = tgt.clone()
        t2[4] = (t2[4] + 1) % 60
        b = model(src, t2[:-1])
    print("answer-step logits before step 4 change:", (a - b)[:4].abs().max().item())
