import torch
import torch.nn as nn


class TopKMemory(nn.Module):
    def __init__(self, dim=32, heads=4, top_k=3):
        super().__init__()
        self.top_k = top_k
        self.score = nn.Linear(dim, dim, bias=False)
        self.read = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, query, memory):
        relevance = torch.einsum("bd,bmd->bm", self.score(query.mean(1)), memory)
        chosen = relevance.topk(self.top_k, dim=-1).indices
        selected = torch.zeros(memory.shape[:2], dtype=torch.bool, device=memory.device)
        selected.scatter_(1, chosen, True)
        out, _ = self.read(query, memory, memory, key_padding_mask=~selected)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    reader = TopKMemory()
    out = reader(torch.randn(2, 5, 32), torch.randn(2, 10, 32))
    print(out.shape, out.abs().mean().item())
