import torch

from .model import Completer


@torch.no_grad()
def greedy_complete(model: Completer, doc: torch.Tensor, bos_id: int = 1, eos_id: int = 2, max_len: int = 64) -> torch.Tensor:
    model.eval()
    doc_pad = doc.eq(model.pad_id)
    code = torch.full((doc.size(0), 1), bos_id, dtype=torch.long, device=doc.device)
    for _ in range(max_len):
        T = code.size(1)
        causal = torch.triu(torch.ones(T, T, device=doc.device), diagonal=1).bool()
        logits = model(doc, code, tgt_mask=causal, doc_pad=doc_pad)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        code = torch.cat([code, nxt], dim=1)
        if (nxt == eos_id).all():
            break
    return code
