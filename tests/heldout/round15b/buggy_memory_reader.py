"""Key-value memory: each query reads only from its top-k most relevant slots."""
import torch
import torch.nn as nn


class SlotMemoryReader(nn.Module):
    def __init__(self, dim=32, heads=4, top_k=3):
        super().__init__()
        self.top_k = top_k
        self.score = nn.Linear(dim, dim, bias=False)
        self.read = nn.MultiheadAttention(dim, heads, batch_first=True)

    def select(self, query, memory):
        relevance = torch.einsum("bd,bmd->bm", self.score(query.mean(1)), memory)
        top = relevance.topk(self.top_k, dim=-1).indices
        keep = torch.zeros(memory.shape[:2], dtype=torch.bool, device=memory.device)
        keep.scatter_(1, top, True)
        return keep

    def forward(self, query, memory):
        keep = self.select(query, memory)
        out, _ = self.read(query, memory, memory, key_padding_mask=keep)  # expect: ML101
        return out


class ReaderQA(nn.Module):
    def __init__(self, vocab=100, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.reader = SlotMemoryReader(dim)
        self.answer = nn.Linear(dim, vocab)

    def forward(self, question, memory):
        q = self.emb(question)
        return self.answer(self.reader(q, memory).mean(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ReaderQA()
    question = torch.randint(0, 100, (2, 5))
    memory = torch.randn(2, 10, 32)
    logits = model(question, memory)
    print(logits.shape, logits.abs().mean().item())
