"""Code-model pre-training on packed sequences: several source files per row, attention kept within each file."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EOS = 1


def pack(files, seq_len):
    stream = [t for f in files for t in f + [EOS]]
    n = len(stream) // seq_len
    return torch.tensor(stream[: n * seq_len]).view(n, seq_len)


def document_ids(tokens):
    # a new document starts right after each EOS
    starts = torch.zeros_like(tokens)
    starts[:, 1:] = (tokens[:, :-1] == EOS).long()
    return starts.cumsum(dim=1)


def packed_blocked(tokens):
    doc = document_ids(tokens)
    L = tokens.size(1)
    future = torch.triu(torch.ones(L, L, dtype=torch.bool, device=tokens.device), diagonal=1)
    other_doc = doc[:, :, None] != doc[:, None, :]
    return other_doc | future  # (B, L, L), True = blocked


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, x, blocked):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~blocked[:, None])
        x = x + self.o(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class PackedCodeLM(nn.Module):
    def __init__(self, vocab=1024, d=64, h=4, depth=2, seq_len=64):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(seq_len, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(depth))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens):
        doc = document_ids(tokens)
        first = torch.cat([torch.ones_like(doc[:, :1]), (doc[:, 1:] != doc[:, :-1]).long()], 1)
        idx = torch.arange(tokens.size(1), device=tokens.device).expand_as(tokens)
        start = torch.cummax(torch.where(first.bool(), idx, 0), dim=1).values
        x = self.tok(tokens) + self.pos(idx - start)  # positions restart in each file
        blocked = packed_blocked(tokens)
        for blk in self.blocks:
            x = blk(x, blocked)
        return self.head(self.ln(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    files = [torch.randint(2, 1024, (int(n),)).tolist() for n in torch.randint(5, 40, (12,))]
    batch = pack(files, 64)
    model = PackedCodeLM()
    logits = model(batch)
    labels = batch[:, 1:].masked_fill(batch[:, :-1] == EOS, -100)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 1024), labels.reshape(-1), ignore_index=-100)
    loss.backward()
    with torch.no_grad():
        f0 = torch.tensor(files[0] + [EOS])[None]
        solo = model(f0)
        same = torch.allclose(solo, model(batch[:1])[:, : f0.size(1)], atol=1e-5)
    print(batch.shape, loss.item(), same)
