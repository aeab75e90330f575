import torch
import torch.nn.functional as F
from torch import nn

from .model import Completer


def train_step(model: Completer, optimizer, doc: torch.Tensor, code: torch.Tensor) -> float:
    """code holds <bos> ... <eos> followed by padding."""
    model.train()
    code_in, code_out = code[:, :-1], code[:, 1:]
    doc_pad = doc.eq(model.pad_id)
    code_pad = code_in.eq(model.pad_id)
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(code_in.size(1), device=code.device, dtype=torch.bool)
    logits = model(doc, code_in, tgt_mask=tgt_mask, doc_pad=doc_pad, code_pad=code_pad)
    loss = F.cross_entropy(logits.transpose(1, 2), code_out, ignore_index=model.pad_id)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
