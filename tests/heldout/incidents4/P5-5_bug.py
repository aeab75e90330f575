import argparse

import numpy as np
import torch


class PointWiseFeedForward(torch.nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.conv2 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout = torch.nn.Dropout(p=dropout_rate)

    def forward(self, inputs):
        out = self.conv2(self.dropout(torch.relu(self.conv1(inputs.transpose(-1, -2)))))
        return out.transpose(-1, -2) + inputs


class SASRec(torch.nn.Module):
    def __init__(self, item_num, args):
        super().__init__()
        self.num_heads = args.num_heads
        self.item_emb = torch.nn.Embedding(item_num + 1, args.hidden_units, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(args.maxlen, args.hidden_units)
        self.attn = torch.nn.ModuleList([torch.nn.MultiheadAttention(args.hidden_units, args.num_heads, args.dropout_rate) for _ in range(args.num_blocks)])
        self.norms = torch.nn.ModuleList([torch.nn.LayerNorm(args.hidden_units, eps=1e-8) for _ in range(args.num_blocks)])
        self.ffns = torch.nn.ModuleList([PointWiseFeedForward(args.hidden_units, args.dropout_rate) for _ in range(args.num_blocks)])
        self.last_layernorm = torch.nn.LayerNorm(args.hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(log_seqs.shape[1], device=log_seqs.device))[None]
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool, device=log_seqs.device))  # BUG
        for attn, norm, ffn in zip(self.attn, self.norms, self.ffns):
            seqs = torch.transpose(seqs, 0, 1)
            Q = norm(seqs)
            mha_outputs, _ = attn(Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            # key_padding_mask=timeline_mask
            seqs = torch.transpose(Q + mha_outputs, 0, 1)
            seqs = ffn(seqs) * ~timeline_mask.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(dim=-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(dim=-1)
        return pos_logits, neg_logits


def sample_batch(item_num, batch_size, maxlen, rng):
    seq = np.zeros((batch_size, maxlen), dtype=np.int64)
    for i in range(batch_size):
        n = rng.integers(2, maxlen + 1)
        seq[i, maxlen - n:] = rng.integers(1, item_num + 1, n)
    pos = np.roll(seq, -1, axis=1)
    pos[:, -1] = rng.integers(1, item_num + 1, batch_size)
    neg = rng.integers(1, item_num + 1, seq.shape) * (pos != 0)
    return map(torch.from_numpy, (seq, pos, neg))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--maxlen", type=int, default=20)
    parser.add_argument("--hidden_units", type=int, default=32)
    parser.add_argument("--num_blocks", type=int, default=2)
    parser.add_argument("--num_heads", type=int, default=2)
    parser.add_argument("--dropout_rate", type=float, default=0.2)
    parser.add_argument("--num_epochs", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    model = SASRec(500, args)
    bce = torch.nn.BCEWithLogitsLoss()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    for epoch in range(args.num_epochs):
        seq, pos, neg = sample_batch(500, 64, args.maxlen, rng)
        pos_logits, neg_logits = model(seq, pos, neg)
        indices = pos != 0
        loss = bce(pos_logits[indices], torch.ones_like(pos_logits[indices])) + bce(neg_logits[indices], torch.zeros_like(neg_logits[indices]))
        adam.zero_grad()
        loss.backward()
        adam.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")
